/**
 * Principal component analysis of a set of columns on their correlation matrix (i.e. standardised
 * data), over complete cases. Reports eigenvalues, each component's share of the total variance,
 * and the loadings (eigenvectors) of the first component.
 */
import { pearson } from './correlation.ts';
import { symmetricEigen } from './eigen.ts';

export interface PcaResult {
  eigenvalues: number[];
  /** Share of variance of each component (eigenvalue / k). */
  varianceShare: number[];
  /** Loadings of the first component (unit eigenvector). */
  loadings: number[];
  /** Complete cases used. */
  n: number;
}

export function pca(cols: readonly ArrayLike<number>[]): PcaResult {
  const k = cols.length;
  const n0 = k ? (cols[0] as ArrayLike<number>).length : 0;
  const rows: number[] = [];
  for (let i = 0; i < n0; i++) if (cols.every((c) => !Number.isNaN(c[i] as number))) rows.push(i);
  const cc = cols.map((c) => Float64Array.from(rows, (i) => c[i] as number));
  const r = cc.map((x, i) => cc.map((y, j) => (i === j ? 1 : pearson(x, y))));
  if (r.some((row) => row.some(Number.isNaN))) {
    return { eigenvalues: [], varianceShare: [], loadings: [], n: rows.length };
  }
  const e = symmetricEigen(r);
  const total = [...e.values].reduce((s, v) => s + v, 0);
  return {
    eigenvalues: [...e.values],
    varianceShare: [...e.values].map((v) => v / total),
    loadings: e.vectors.map((row) => row[0] as number),
    n: rows.length,
  };
}
