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
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const k of series) {
    const id = [k.code, k.sex, k.area, k.age, k.quintile, k.breakdown].join('\u0000');
    if (seen.has(id)) continue;
    seen.add(id);
    // Constant filters per series: DuckDB pushes them into the scan.
    parts.push(`SELECT DISTINCT indicator, dataset FROM obs
      WHERE indicator = ? AND sex = ? AND area = ? AND age = ? AND quintile = ? AND breakdown = ?
        AND year BETWEEN ? AND ?`);
    params.push(k.code, k.sex, k.area, k.age, k.quintile, k.breakdown, from, to);
  }
  return store.db.all<SourceRef & Record<string, unknown>>(
    `SELECT DISTINCT o.indicator, d.id AS dataset, d.source, d.vintage, d.file, d.licence, d.url
     FROM (${parts.join(' UNION ')}) o JOIN datasets d ON d.id = o.dataset
     ORDER BY o.indicator, d.id`,
    params,
  );
}

/**
 * First and last year of the series, and how many observations fall in [from, to] (one pass, no
 * DISTINCT): enough for "no data that year" messages.
 */
export async function seriesSpan(
  store: Store,
  key: SeriesKey,
  from: number,
  to: number,
): Promise<{ first: number | null; last: number | null; inRange: number }> {
  const r = await store.db.one<{ first: number | null; last: number | null; in_range: number }>(
    `SELECT min(year) AS first, max(year) AS last, count(*) FILTER (WHERE year BETWEEN ? AND ?) AS in_range
     FROM obs WHERE indicator = ? AND sex = ? AND area = ? AND age = ? AND quintile = ? AND breakdown = ?`,
    [from, to, key.code, key.sex, key.area, key.age, key.quintile, key.breakdown],
  );
  return { first: r?.first ?? null, last: r?.last ?? null, inRange: r?.in_range ?? 0 };
}
