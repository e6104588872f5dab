/**
 * Unit screening: drop units whose share of available indicators is below `minShare`.
 * Availability is counted in the `basis` matrix (by default the denominated data, before imputation).
 */
import { type Matrix, selectRows } from './matrix.ts';

export interface ScreenRow {
  unit: string;
  available: number;
  total: number;
  share: number;
  kept: boolean;
}

export interface ScreenResult {
  matrix: Matrix;
  keep: boolean[];
  report: ScreenRow[];
}

export function screen(m: Matrix, basis: Matrix, minShare = 0): ScreenResult {
  const n = basis.rows.length;
  const k = basis.cols.length;
  const report: ScreenRow[] = [];
  const keepByUnit = new Map<string, boolean>();
  for (let i = 0; i < n; i++) {
    let a = 0;
    for (let j = 0; j < k; j++) if (!Number.isNaN(basis.data[j * n + i] as number)) a++;
    const share = k === 0 ? 1 : a / k;
    const kept = share >= minShare;
    keepByUnit.set(basis.rows[i] as string, kept);
    report.push({ unit: basis.rows[i] as string, available: a, total: k, share, kept });
  }
  const keep = m.rows.map((u) => keepByUnit.get(u) ?? true);
  return { matrix: keep.every(Boolean) ? m : selectRows(m, keep), keep, report };
}
