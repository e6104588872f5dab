/**
 * The dataset vintages behind a result: every dataset whose observations of the given series fall
 * in the year range used. A number is never shown without its source and vintage.
 */
import type { Params } from './db.ts';
import type { SeriesKey } from './group-sums.ts';
import type { Store } from './store.ts';

export interface SourceRef {
  indicator: string;
  dataset: number;
  source: string | null;
  vintage: string | null;
  file: string;
  licence: string | null;
  url: string | null;
}

export async function sourcesFor(
  store: Store,
  series: readonly SeriesKey[],
  from: number,
  to: number,
): Promise<SourceRef[]> {
  if (series.length === 0) return [];
  const params: Params = [];
  const specs = series.map((k) => {
    params.push(k.code, k.sex, k.area, k.age, k.quintile, k.breakdown);
    return '(?, ?, ?, ?, ?, ?)';
  });
  params.push(from, to);
  return store.db.all<SourceRef & Record<string, unknown>>(
    `WITH specs(ind, sex, area, age, quintile, breakdown) AS (VALUES ${specs.join(', ')})
     SELECT o.indicator, d.id AS dataset, d.source, d.vintage, d.file, d.licence, d.url
     FROM (SELECT DISTINCT o.indicator, o.dataset FROM obs o JOIN specs s ON o.indicator = s.ind
             AND o.sex = s.sex AND o.area = s.area AND o.age = s.age AND o.quintile = s.quintile
             AND o.breakdown = s.breakdown
           WHERE o.year BETWEEN ? AND ?) o
     JOIN datasets d ON d.id = o.dataset
     ORDER BY o.indicator, d.id`,
    params,
  );
}

/** Years with at least one observation of the series (for "no data that year" messages). */
export async function seriesYears(
  store: Store,
  key: SeriesKey,
): Promise<{ first: number | null; last: number | null; years: number[] }> {
  const rows = await store.db.all<{ year: number }>(
    `SELECT DISTINCT year FROM obs
     WHERE indicator = ? AND sex = ? AND area = ? AND age = ? AND quintile = ? AND breakdown = ?
     ORDER BY year`,
    [key.code, key.sex, key.area, key.age, key.quintile, key.breakdown],
  );
  const years = rows.map((r) => r.year);
  return { first: years[0] ?? null, last: years[years.length - 1] ?? null, years };
}
