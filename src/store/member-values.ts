/**
 * Per-country values of several series for the members of a group in a year (or for named
 * countries), with the observations of a window of years around it for gap-filling. Small by
 * construction (at most one row per country × series × year in the window): the statistics that
 * need country rows (gaps, affordability, inequality) use it.
 */
import { referenceDate } from '../core/geo.ts';
import type { Params } from './db.ts';
import type { SeriesKey } from './group-sums.ts';
import type { Store } from './store.ts';

export interface MemberValue {
  /** Index of the series in the request. */
  series: number;
  geo: string;
  year: number;
  value: number;
}

/** Members of a group on `year`-07-01, sorted. */
export async function membersAt(store: Store, group: string, year: number): Promise<string[]> {
  const date = referenceDate(year);
  const rows = await store.db.all<{ geo: string }>(
    `SELECT DISTINCT geo FROM memberships WHERE group_code = ?
       AND (valid_from IS NULL OR valid_from <= ?::DATE) AND (valid_to IS NULL OR ?::DATE < valid_to)
     ORDER BY geo`,
    [group, date, date],
  );
  return rows.map((r) => r.geo);
}

/** Observations of each series for the given countries in [from, to]. */
export async function memberValues(
  store: Store,
  geos: readonly string[],
  series: readonly SeriesKey[],
  from: number,
  to: number,
): Promise<MemberValue[]> {
  if (geos.length === 0 || series.length === 0) return [];
  const params: Params = [];
  const specs = series.map((s, i) => {
    params.push(i, s.code, s.sex, s.area, s.age, s.quintile, s.breakdown);
    return '(?, ?, ?, ?, ?, ?, ?)';
  });
  params.push(...geos, from, to);
  return store.db.all<MemberValue & Record<string, unknown>>(
    `WITH specs(series, ind, sex, area, age, quintile, breakdown) AS (VALUES ${specs.join(', ')})
     SELECT s.series, o.geo, o.year, o.value
     FROM obs o JOIN specs s ON o.indicator = s.ind AND o.sex = s.sex AND o.area = s.area AND o.age = s.age
       AND o.quintile = s.quintile AND o.breakdown = s.breakdown
     WHERE o.geo IN (${geos.map(() => '?').join(', ')}) AND o.year BETWEEN ? AND ?
     ORDER BY s.series, o.geo, o.year`,
    params,
  );
}
