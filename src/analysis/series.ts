/**
 * Resolving what a user names into store series: an indicator code (following breakdown aliases
 * such as IT.NET.USER.FE.ZS = IT.NET.USER.ZS for sex F) with every dimension fixed, and group codes.
 * Unknown codes, and series without data in the years asked for, are PontisErrors.
 */
import type { Dimension } from '../core/dimensions.ts';
import { notFound } from '../core/errors.ts';
import type { SeriesKey } from '../store/group-sums.ts';
import { resolveGroup, resolveIndicator } from '../store/queries.ts';
import { seriesSpan } from '../store/sources.ts';
import type { Store } from '../store/store.ts';

/** UN World Population Prospects, both sexes, 1 July: the default population for every statistic. */
export const POPULATION = 'WPP.POP';

export async function seriesKey(
  store: Store,
  code: string,
  dims: Partial<Record<Dimension | 'breakdown', string>> = {},
): Promise<SeriesKey> {
  const r = await resolveIndicator(store, code);
  const d = { ...r.dims, ...dims };
  return {
    code: r.code,
    sex: d.sex ?? '_T',
    area: d.area ?? '_T',
    age: d.age ?? '_T',
    quintile: d.quintile ?? '_T',
    breakdown: d.breakdown ?? '_T',
  };
}

/** A readable name for a series: the code with its non-total dimensions. */
export function seriesLabel(k: SeriesKey): string {
  const dims = (['sex', 'area', 'age', 'quintile', 'breakdown'] as const)
    .filter((d) => k[d] !== '_T')
    .map((d) => `${d}=${k[d]}`);
  return dims.length ? `${k.code}[${dims.join(',')}]` : k.code;
}

/**
 * Throws a clear error when the series has no observation in any of `years` (± the fill window).
 * `role` names the part it plays ("indicator", "weight", "denominator").
 */
export async function requireData(
  store: Store,
  key: SeriesKey,
  years: readonly number[],
  window: number,
  role: string,
): Promise<void> {
  // One year: exactly that year (± window). Several: anywhere in the span they cover.
  const lo = Math.min(...years) - window;
  const hi = Math.max(...years) + window;
  const { first, last, inRange } = await seriesSpan(store, key, lo, hi);
  if (inRange > 0) return;
  const asked = years.length === 1 ? String(years[0]) : `${Math.min(...years)}–${Math.max(...years)}`;
  const reach = window > 0 ? ` (or within ${window} years)` : '';
  const span = first === null ? 'it has no observations at all' : `it has data for ${first}–${last}`;
  throw notFound(`${role} ${seriesLabel(key)} has no data for ${asked}${reach}; ${span}`, { field: role });
}

export async function resolveGroups(store: Store, names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    const c = await resolveGroup(store, n);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

export async function groupNames(store: Store, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await store.db.all<{ code: string; name: string | null }>(
    `SELECT code, name_en AS name FROM groups WHERE code IN (${codes.map(() => '?').join(', ')})`,
    [...codes],
  );
  return new Map(rows.map((r) => [r.code, r.name ?? r.code]));
}
