/**
 * Per-country values of several series for one year, with optional gap-filling done as in
 * stats/gap-fill.ts. Series in the same `pair` are filled together (from the same source years, so
 * a male and a female rate always come from the same survey year). Small data: at most the members
 * of one group.
 */
import { type FillMethod, fillValue, type YearValue } from '../stats/gap-fill.ts';
import type { SeriesKey } from '../store/group-sums.ts';
import { memberValues } from '../store/member-values.ts';
import type { Store } from '../store/store.ts';

export interface CountryValues {
  geo: string;
  /** One entry per series, null when missing (after filling). */
  values: Array<number | null>;
  /** True when any filled series of this country was not observed in the year. */
  filled: boolean;
}

export interface CountryValuesOptions {
  /** Indexes of the series that are filled (together, from the same years); others are year-only. */
  fill?: { series: number[]; window: number; method: FillMethod };
}

export async function countryValues(
  store: Store,
  geos: readonly string[],
  series: readonly SeriesKey[],
  year: number,
  opts: CountryValuesOptions = {},
): Promise<CountryValues[]> {
  const win = opts.fill?.window ?? 0;
  const obs = await memberValues(store, geos, series, year - win, year + win);
  const by = new Map<string, Map<number, Map<number, number>>>();
  for (const o of obs) {
    let g = by.get(o.geo);
    if (!g) {
      g = new Map();
      by.set(o.geo, g);
    }
    let s = g.get(o.series);
    if (!s) {
      s = new Map();
      g.set(o.series, s);
    }
    s.set(o.year, o.value);
  }
  const filledSet = new Set(opts.fill?.series ?? []);
  return geos.map((geo) => {
    const g = by.get(geo);
    const values: Array<number | null> = series.map((_, i) =>
      filledSet.has(i) ? null : (g?.get(i)?.get(year) ?? null),
    );
    let filled = false;
    if (opts.fill && g) {
      // Years in which every filled series has a value: the pair is taken from these years only.
      const idx = opts.fill.series;
      const common = [...(g.get(idx[0]!)?.keys() ?? [])].filter((y) => idx.every((i) => g.get(i)?.has(y)));
      for (const i of idx) {
        const s: YearValue[] = common.map((y) => ({ year: y, value: g.get(i)!.get(y)! }));
        const f = fillValue(s, year, opts.fill.method, opts.fill.window);
        values[i] = f ? f.value : null;
        if (f?.filled) filled = true;
      }
    }
    return { geo, values, filled };
  });
}
