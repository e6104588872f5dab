/**
 * Group aggregates pushed down into DuckDB: one query returns, per indicator × group × year, the
 * member and coverage counts and the sums that `aggregateFromSums` (src/stats/aggregate-sums.ts)
 * turns into a value. Nothing here loops over observations in JavaScript.
 *
 * Membership for data year Y is evaluated at Y-07-01 (core/geo.ts `referenceDate`). Gap-filling
 * (optional) is done in SQL too: for each member and target year the nearest observations at or
 * before and at or after the year within the window are found, and the value is the observed one,
 * a linear interpolation between them, or the nearer one (the earlier on a tie), as
 * src/stats/gap-fill.ts defines. For a ratio the numerator and denominator are filled as a pair
 * (from the same source years). Coverage weights are always those of the target year, unfilled.
 */
import type { AggregateMethod } from '../stats/aggregate.ts';
import type { GroupSums } from '../stats/aggregate-sums.ts';
import type { Params } from './db.ts';
import type { Store } from './store.ts';

/** One series of the store: an indicator code with every dimension fixed. */
export interface SeriesKey {
  code: string;
  sex: string;
  area: string;
  age: string;
  quintile: string;
  breakdown: string;
}

export type SqlFillMethod = 'nearest' | 'linear' | 'linear-then-nearest';

export interface GroupSumsQuery {
  /** Resolved group codes. */
  groups: readonly string[];
  years: readonly number[];
  /** The value series (numerator for ratio); several for a bulk run. */
  values: readonly SeriesKey[];
  method: AggregateMethod;
  /** ratio only */
  denominator?: SeriesKey;
  /** wmean only: the averaging weight. */
  weight?: SeriesKey;
  /** The coverage weight (usually population). */
  coverageWeight: SeriesKey;
  fill?: { window: number; method: SqlFillMethod };
}

export interface GroupSumsRow extends GroupSums {
  /** Index of the value series in the query. */
  series: number;
  indicator: string;
  year: number;
  /** wmean: members with a value but no weight. */
  valuesWithoutWeight: number;
}

const sameKey = (a: SeriesKey, b: SeriesKey) =>
  a.code === b.code &&
  a.sex === b.sex &&
  a.area === b.area &&
  a.age === b.age &&
  a.quintile === b.quintile &&
  a.breakdown === b.breakdown;

const keyParams = (k: SeriesKey): Params => [k.code, k.sex, k.area, k.age, k.quintile, k.breakdown];
const KEY_WHERE = 'indicator = ? AND sex = ? AND area = ? AND age = ? AND quintile = ? AND breakdown = ?';

/**
 * The SQL (and its parameters) for a group-sums query; exported so tests and the benchmark can
 * show exactly what runs.
 */
export function groupSumsSql(q: GroupSumsQuery): { sql: string; params: Params } {
  return buildSql(q, 'sums');
}

/** The same query, one row per member (for listing which countries entered, and which were filled). */
export function groupMembersSql(q: GroupSumsQuery): { sql: string; params: Params } {
  return buildSql(q, 'members');
}

function buildSql(q: GroupSumsQuery, shape: 'sums' | 'members'): { sql: string; params: Params } {
  const params: Params = [];
  const win = q.fill ? q.fill.window : 0;
  const minY = Math.min(...q.years);
  const maxY = Math.max(...q.years);
  const ratio = q.method === 'ratio';
  const wmean = q.method === 'wmean';
  if (ratio && !q.denominator) throw new Error('group-sums: ratio needs a denominator');
  if (wmean && !q.weight) throw new Error('group-sums: wmean needs a weight');

  const ctes: string[] = [];
  ctes.push(`yrs(year) AS (VALUES ${q.years.map(() => '(?)').join(', ')})`);
  params.push(...q.years);
  ctes.push(`grps(grp) AS (VALUES ${q.groups.map(() => '(?)').join(', ')})`);
  params.push(...q.groups);
  ctes.push(`mem AS (
    SELECT DISTINCT m.group_code AS grp, y.year, m.geo
    FROM memberships m JOIN grps g ON g.grp = m.group_code CROSS JOIN yrs y
    WHERE (m.valid_from IS NULL OR m.valid_from <= make_date(y.year, 7, 1))
      AND (m.valid_to IS NULL OR make_date(y.year, 7, 1) < m.valid_to))`);
  // Value (numerator) observations, in the year range the fill window can reach. One series: plain
  // constant filters, which DuckDB pushes into the scan; several: a join with the spec table.
  if (q.values.length === 1) {
    ctes.push(
      `x AS (SELECT 0 AS sid, geo, year, value FROM obs WHERE ${KEY_WHERE} AND year BETWEEN ? AND ?)`,
    );
    params.push(...keyParams(q.values[0]!), minY - win, maxY + win);
  } else {
    ctes.push(
      `specs(sid, ind, sex, area, age, quintile, breakdown) AS (VALUES ${q.values.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')})`,
    );
    for (const [i, v] of q.values.entries()) params.push(i, ...keyParams(v));
    const codes = [...new Set(q.values.map((v) => v.code))];
    ctes.push(`x AS (
    SELECT s.sid, o.geo, o.year, o.value
    FROM obs o JOIN specs s ON o.indicator = s.ind AND o.sex = s.sex AND o.area = s.area AND o.age = s.age
      AND o.quintile = s.quintile AND o.breakdown = s.breakdown
    WHERE o.indicator IN (${codes.map(() => '?').join(', ')}) AND o.year BETWEEN ? AND ?)`);
    params.push(...codes, minY - win, maxY + win);
  }
  if (ratio) {
    ctes.push(`d AS (SELECT geo, year, value FROM obs WHERE ${KEY_WHERE} AND year BETWEEN ? AND ?)`);
    params.push(...keyParams(q.denominator!), minY - win, maxY + win);
  }
  if (wmean) {
    ctes.push(`w AS (SELECT geo, year, value FROM obs WHERE ${KEY_WHERE} AND year BETWEEN ? AND ?)`);
    params.push(...keyParams(q.weight!), minY, maxY);
  }
  // The coverage weight; reuse the denominator or the weight when it is the same series (no fill).
  let cw: string;
  if (ratio && !q.fill && sameKey(q.coverageWeight, q.denominator!)) cw = 'd';
  else if (wmean && sameKey(q.coverageWeight, q.weight!)) cw = 'w';
  else {
    ctes.push(`c AS (SELECT geo, year, value FROM obs WHERE ${KEY_WHERE} AND year BETWEEN ? AND ?)`);
    params.push(...keyParams(q.coverageWeight), minY, maxY);
    cw = 'c';
  }

  // The (possibly filled) value(s) per indicator × member × target year: without fill, the
  // observations joined directly; with fill, the `pt` CTE below.
  const cols = ratio ? ['num', 'den'] : ['val'];
  let e: { num: string; den: string; val: string; filled: string };
  const joins: string[] = [];
  if (!q.fill) {
    e = { num: 'x.value', den: 'd.value', val: 'x.value', filled: 'false' };
    joins.push('LEFT JOIN x ON x.sid = s.sid AND x.geo = mem.geo AND x.year = mem.year');
    if (ratio) joins.push('LEFT JOIN d ON d.geo = mem.geo AND d.year = mem.year');
  } else {
    e = { num: 'pt.num', den: 'pt.den', val: 'pt.val', filled: 'pt.filled' };
    ctes.push(
      ratio
        ? `pr AS (SELECT x.sid, x.geo, x.year, x.value AS num, d.value AS den
             FROM x JOIN d ON d.geo = x.geo AND d.year = x.year WHERE d.value > 0)`
        : `pr AS (SELECT sid, geo, year, value AS val FROM x)`,
    );
    ctes.push(`tgt AS (SELECT DISTINCT geo, year FROM mem)`);
    const agg = cols
      .map(
        (c) => `arg_max(p.${c}, p.year) FILTER (WHERE p.year <= t.year) AS ${c}_b,
        arg_min(p.${c}, p.year) FILTER (WHERE p.year >= t.year) AS ${c}_a`,
      )
      .join(',\n        ');
    const n = Math.trunc(win);
    ctes.push(`nb AS (
      SELECT p.sid, t.geo, t.year,
        max(p.year) FILTER (WHERE p.year <= t.year) AS yb,
        min(p.year) FILTER (WHERE p.year >= t.year) AS ya,
        ${agg}
      FROM tgt t JOIN pr p ON p.geo = t.geo AND p.year BETWEEN t.year - ${n} AND t.year + ${n}
      GROUP BY p.sid, t.geo, t.year)`);
    const linear = q.fill.method !== 'nearest';
    const nearest = q.fill.method !== 'linear';
    const pick = (c: string) => {
      const parts = [`WHEN yb = year THEN ${c}_b`];
      if (linear)
        parts.push(
          `WHEN yb IS NOT NULL AND ya IS NOT NULL THEN ${c}_b + (year - yb) / (ya - yb) * (${c}_a - ${c}_b)`,
        );
      if (nearest) {
        parts.push(`WHEN yb IS NOT NULL AND (ya IS NULL OR year - yb <= ya - year) THEN ${c}_b`);
        parts.push(`WHEN ya IS NOT NULL THEN ${c}_a`);
      }
      return `CASE ${parts.join(' ')} END AS ${c}`;
    };
    // The observed years each value comes from, following the same cases.
    const srcParts = ['WHEN yb = year THEN [year]'];
    if (linear) srcParts.push('WHEN yb IS NOT NULL AND ya IS NOT NULL THEN [yb, ya]');
    if (nearest) {
      srcParts.push('WHEN yb IS NOT NULL AND (ya IS NULL OR year - yb <= ya - year) THEN [yb]');
      srcParts.push('WHEN ya IS NOT NULL THEN [ya]');
    }
    const src = `CASE ${srcParts.join(' ')} END AS source_years`;
    ctes.push(
      `pt AS (SELECT sid, geo, year, ${cols.map(pick).join(', ')}, yb IS DISTINCT FROM year AS filled, ${src} FROM nb)`,
    );
    joins.push('LEFT JOIN pt ON pt.sid = s.sid AND pt.geo = mem.geo AND pt.year = mem.year');
  }
  if (wmean) joins.push('LEFT JOIN w ON w.geo = mem.geo AND w.year = mem.year');
  if (cw === 'c') joins.push('LEFT JOIN c ON c.geo = mem.geo AND c.year = mem.year');

  const ok = ratio
    ? `${e.num} IS NOT NULL AND ${e.den} > 0`
    : wmean
      ? `${e.val} IS NOT NULL AND w.value >= 0`
      : `${e.val} IS NOT NULL`;
  const cwv = `CASE WHEN ${cw}.value >= 0 THEN ${cw}.value END`;
  const sums = ratio
    ? `sum(${e.num}) FILTER (WHERE ${ok}) AS sum_num, sum(${e.den}) FILTER (WHERE ${ok}) AS sum_den`
    : wmean
      ? `sum(w.value) FILTER (WHERE ${ok}) AS sum_w, sum(w.value * ${e.val}) FILTER (WHERE ${ok}) AS sum_wx`
      : q.method === 'mean'
        ? `sum(${e.val}) FILTER (WHERE ${ok}) AS sum_x`
        : `quantile_cont(${e.val}, 0.5) FILTER (WHERE ${ok}) AS median`;
  if (q.values.length === 1) params.push(q.values[0]!.code);
  const from = `FROM mem CROSS JOIN ${q.values.length === 1 ? '(SELECT 0 AS sid, ? AS ind) s' : '(SELECT sid, ind FROM specs) s'}
  ${joins.join('\n  ')}`;
  if (shape === 'members') {
    const vals = ratio
      ? `${e.num} AS numerator, ${e.den} AS denominator, NULL AS value`
      : `NULL AS numerator, NULL AS denominator, ${e.val} AS value`;
    const srcYears = q.fill
      ? `CASE WHEN ${ok} THEN pt.source_years END`
      : `CASE WHEN ${ok} THEN [mem.year] END`;
    return {
      sql: `WITH ${ctes.join(',\n')}
  SELECT s.sid AS series, s.ind AS indicator, mem.grp AS "group", mem.year, mem.geo, ${vals},
    ${wmean ? 'w.value' : 'NULL'} AS weight, ${cwv} AS coverage_weight,
    coalesce(${ok}, false) AS used, coalesce(${ok} AND ${e.filled}, false) AS filled, ${srcYears} AS source_years
  ${from}
  ORDER BY s.sid, mem.grp, mem.year, mem.geo`,
      params,
    };
  }
  const sql = `WITH ${ctes.join(',\n')}
  SELECT s.sid AS series, s.ind AS indicator, mem.grp AS "group", mem.year,
    count(*) AS members,
    count(*) FILTER (WHERE ${ok}) AS with_data,
    sum(${cwv}) AS weight_total,
    coalesce(sum(${cwv}) FILTER (WHERE ${ok}), 0) AS weight_covered,
    count(*) FILTER (WHERE ${cwv} IS NULL) AS members_without_weight,
    count(*) FILTER (WHERE ${ok} AND ${e.filled}) AS filled,
    ${wmean ? `count(*) FILTER (WHERE ${e.val} IS NOT NULL AND w.value IS NULL)` : '0'} AS values_without_weight,
    ${sums}
  ${from}
  GROUP BY s.sid, s.ind, mem.grp, mem.year
  ORDER BY s.sid, mem.grp, mem.year`;
  return { sql, params };
}

interface RawRow extends Record<string, unknown> {
  series: number;
  indicator: string;
  group: string;
  year: number;
  members: number;
  with_data: number;
  weight_total: number | null;
  weight_covered: number | null;
  members_without_weight: number;
  filled: number;
  values_without_weight: number;
  sum_num?: number | null;
  sum_den?: number | null;
  sum_w?: number | null;
  sum_wx?: number | null;
  sum_x?: number | null;
  median?: number | null;
}

/** Runs the query: one row per indicator × group × year that has at least one member. */
export async function queryGroupSums(store: Store, q: GroupSumsQuery): Promise<GroupSumsRow[]> {
  if (q.groups.length === 0 || q.years.length === 0 || q.values.length === 0) return [];
  const { sql, params } = groupSumsSql(q);
  const rows = await store.db.all<RawRow>(sql, params);
  return rows.map((r) => {
    const out: GroupSumsRow = {
      series: r.series,
      indicator: r.indicator,
      group: r.group,
      year: r.year,
      members: r.members,
      withData: r.with_data,
      weightTotal: r.weight_total,
      weightCovered: r.weight_total === null ? null : r.weight_covered,
      membersWithoutWeight: r.members_without_weight,
      filled: r.filled,
      valuesWithoutWeight: r.values_without_weight,
    };
    if ('sum_num' in r) {
      out.sumNum = r.sum_num ?? null;
      out.sumDen = r.sum_den ?? null;
    }
    if ('sum_w' in r) {
      out.sumW = r.sum_w ?? null;
      out.sumWX = r.sum_wx ?? null;
    }
    if ('sum_x' in r) out.sumX = r.sum_x ?? null;
    if ('median' in r) out.median = r.median ?? null;
    return out;
  });
}

export interface GroupMemberRow {
  series: number;
  indicator: string;
  group: string;
  year: number;
  geo: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  weight: number | null;
  coverageWeight: number | null;
  /** Did this member's data enter the aggregate? */
  used: boolean;
  /** Was its value gap-filled (not observed in the year)? */
  filled: boolean;
  /** The observed years its value comes from (null when not used). */
  sourceYears: number[] | null;
}

/** One row per member of each group × year: what entered the aggregate, flagged when filled. */
export async function queryGroupMembers(store: Store, q: GroupSumsQuery): Promise<GroupMemberRow[]> {
  if (q.groups.length === 0 || q.years.length === 0 || q.values.length === 0) return [];
  const { sql, params } = groupMembersSql(q);
  const rows = await store.db.all<Record<string, unknown>>(sql, params);
  return rows.map((r) => ({
    series: r.series as number,
    indicator: r.indicator as string,
    group: r.group as string,
    year: r.year as number,
    geo: r.geo as string,
    numerator: (r.numerator as number | null) ?? null,
    denominator: (r.denominator as number | null) ?? null,
    value: (r.value as number | null) ?? null,
    weight: (r.weight as number | null) ?? null,
    coverageWeight: (r.coverage_weight as number | null) ?? null,
    used: r.used === true,
    filled: r.filled === true,
    sourceYears: (r.source_years as number[] | null) ?? null,
  }));
}
