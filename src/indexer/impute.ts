/**
 * Imputation of missing values, per indicator:
 * - indicator-mean / indicator-median: the mean / median of the indicator's available values;
 * - group-mean / group-median: the same within the unit's group (a grouping column); a unit with no
 *   group, or a group with no available value, stays missing;
 * - nearest-year: the value of the nearest year within `window` years in a panel (ties: the earlier);
 * - none: values stay missing, and aggregation skips them and rescales the weights.
 */
import { invalid } from '../core/errors.ts';
import type { Panel } from './data.ts';
import { cloneMatrix, type Matrix } from './matrix.ts';
import { mean } from './moments.ts';
import { median } from './quantile.ts';
import type { ImputationMethod } from './spec.ts';

export interface ImputeOptions {
  method?: ImputationMethod;
  /** Group labels per unit (aligned with the matrix rows), for group methods. */
  groups?: readonly (string | null)[];
  panel?: Panel;
  window?: number;
  year?: number;
}

export interface ImputedCell {
  unit: string;
  indicator: string;
  value: number;
  /** For nearest-year: the year the value was taken from. */
  from?: number;
}

export interface ImputeReport {
  method: ImputationMethod;
  cells: ImputedCell[];
  /** Cells still missing after imputation. */
  remaining: number;
}

export function impute(m: Matrix, opts: ImputeOptions = {}): { matrix: Matrix; report: ImputeReport } {
  const method = opts.method ?? 'none';
  const out = cloneMatrix(m);
  const n = m.rows.length;
  const cells: ImputedCell[] = [];
  const fill = (i: number, j: number, v: number, from?: number) => {
    if (Number.isNaN(v)) return;
    out.data[j * n + i] = v;
    cells.push({
      unit: m.rows[i] as string,
      indicator: m.cols[j] as string,
      value: v,
      ...(from !== undefined ? { from } : {}),
    });
  };
  if (method === 'indicator-mean' || method === 'indicator-median') {
    const f = method === 'indicator-mean' ? mean : median;
    for (let j = 0; j < m.cols.length; j++) {
      const col = m.data.subarray(j * n, (j + 1) * n);
      const v = f(col);
      for (let i = 0; i < n; i++) if (Number.isNaN(col[i] as number)) fill(i, j, v);
    }
  } else if (method === 'group-mean' || method === 'group-median') {
    const g = opts.groups;
    if (!g) throw invalid(`imputation "${method}" needs a grouping column`, { field: 'steps.impute.group' });
    const f = method === 'group-mean' ? mean : median;
    const labels = [...new Set(g.filter((x): x is string => x !== null))];
    for (let j = 0; j < m.cols.length; j++) {
      const col = m.data.subarray(j * n, (j + 1) * n);
      for (const label of labels) {
        const members: number[] = [];
        for (let i = 0; i < n; i++) if (g[i] === label) members.push(col[i] as number);
        const v = f(members);
        for (let i = 0; i < n; i++) if (g[i] === label && Number.isNaN(col[i] as number)) fill(i, j, v);
      }
    }
  } else if (method === 'nearest-year') {
    const p = opts.panel;
    if (!p)
      throw invalid('nearest-year imputation needs a panel (units × indicators × years)', {
        field: 'steps.impute',
      });
    const window = opts.window ?? 2;
    const year = opts.year ?? Math.max(...p.years);
    // candidate years sorted by distance, earlier first on ties
    const order = p.years
      .map((y, k) => ({ y, k, d: Math.abs(y - year) }))
      .filter((c) => c.d > 0 && c.d <= window)
      .sort((a, b) => a.d - b.d || a.y - b.y);
    for (let j = 0; j < m.cols.length; j++) {
      for (let i = 0; i < n; i++) {
        if (!Number.isNaN(out.data[j * n + i] as number)) continue;
        for (const c of order) {
          const s = p.slices[c.k] as Matrix;
          const si = s.rows.indexOf(m.rows[i] as string);
          const sj = s.cols.indexOf(m.cols[j] as string);
          if (si < 0 || sj < 0) continue;
          const v = s.data[sj * s.rows.length + si] as number;
          if (!Number.isNaN(v)) {
            fill(i, j, v, c.y);
            break;
          }
        }
      }
    }
  }
  let remaining = 0;
  for (let k = 0; k < out.data.length; k++) if (Number.isNaN(out.data[k] as number)) remaining++;
  return { matrix: out, report: { method, cells, remaining } };
}

/** The slice of a panel for one year, as the "values" of an index (with the nearest years kept for imputation). */
export function panelSlice(p: Panel, year: number): Matrix {
  const k = p.years.indexOf(year);
  if (k < 0) throw invalid(`year ${year} is not in the panel (${p.years.join(', ')})`, { field: 'year' });
  return p.slices[k] as Matrix;
}
