/**
 * Index data from long-format observations (indicator, geo, year, value), e.g. rows queried from the
 * Pontis store. Each tree indicator reads the observations of its `source` code (or its own code),
 * each denominator those of its code. The index year's values form the data table; the years within
 * `window` before and after it form a panel for nearest-year imputation. Pure: no store access here.
 */
import type { IndexData, Panel } from './data.ts';
import { makeMatrix } from './matrix.ts';
import type { IndexSpec } from './spec.ts';

export interface ObservationLike {
  indicator: string;
  geo: string;
  year: number;
  value: number;
  /** Unit name, if the source has one. */
  name?: string | null;
}

export interface ObservationOptions {
  year: number;
  /** Years either side of `year` kept in the panel (default 0: no panel). */
  window?: number;
  /** Units to include (default: every geo seen). */
  units?: readonly string[];
}

/** Store code of every data column: tree indicators (by `source` or code) and denominators. */
export function sourceColumns(spec: IndexSpec): { column: string; source: string }[] {
  const parents = new Set(spec.tree.map((n) => n.parent).filter(Boolean));
  const leaves = spec.tree.filter((n) => !parents.has(n.code));
  return [
    ...leaves.map((n) => ({ column: n.code, source: n.source ?? n.code })),
    ...spec.denominators.map((d) => ({ column: d, source: d })),
  ];
}

export function dataFromObservations(
  rows: readonly ObservationLike[],
  spec: IndexSpec,
  opts: ObservationOptions,
): IndexData {
  const cols = sourceColumns(spec);
  const window = opts.window ?? 0;
  const units = opts.units ?? [...new Set(rows.map((r) => r.geo))].sort();
  const uPos = new Map(units.map((u, i) => [u, i]));
  const bySource = new Map<string, number[]>();
  cols.forEach((c, j) => {
    const list = bySource.get(c.source) ?? [];
    list.push(j);
    bySource.set(c.source, list);
  });
  const years: number[] = [];
  for (let y = opts.year - window; y <= opts.year + window; y++) years.push(y);
  const slices = years.map(() =>
    makeMatrix(
      units,
      cols.map((c) => c.column),
    ),
  );
  const n = units.length;
  for (const r of rows) {
    const k = r.year - (opts.year - window);
    if (k < 0 || k >= years.length) continue;
    const i = uPos.get(r.geo);
    const js = bySource.get(r.indicator);
    if (i === undefined || !js) continue;
    for (const j of js) (slices[k] as ReturnType<typeof makeMatrix>).data[j * n + i] = r.value;
  }
  const values = slices[window] as ReturnType<typeof makeMatrix>;
  const panel: Panel | undefined = window > 0 ? { years, slices } : undefined;
  const nameOf = new Map<string, string>();
  for (const r of rows) if (r.name && !nameOf.has(r.geo)) nameOf.set(r.geo, r.name);
  const names = nameOf.size ? units.map((u) => nameOf.get(u) ?? u) : undefined;
  return { values, ...(names ? { names } : {}), ...(panel ? { panel } : {}) };
}
