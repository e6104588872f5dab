/**
 * Descriptive statistics of each column with flags, with the thresholds of COINr's get_stats():
 * availability (share of non-missing values < 0.65 → LOW), zeros (share of non-zero values < 0.5 →
 * LOW), unique values (share of unique values < 0.5 → LOW), outliers (|skew| ≥ 2 and kurtosis ≥ 3.5
 * → OUT, the same rule as treatment), and collinearity (the highest Pearson correlation with another
 * column sharing the parent > 0.9 → COLLINEAR).
 */
import { pearson } from './correlation.ts';
import type { Matrix } from './matrix.ts';
import { kurtosis, max, mean, min, sd, skewness } from './moments.ts';
import { median } from './quantile.ts';

export interface StatsRow {
  code: string;
  min: number;
  max: number;
  mean: number;
  median: number;
  sd: number;
  skew: number;
  kurt: number;
  nAvail: number;
  shareAvail: number;
  shareNonZero: number;
  shareUnique: number;
  flagAvail: 'ok' | 'LOW';
  flagNonZero: 'ok' | 'LOW';
  flagUnique: 'ok' | 'LOW';
  flagSkewKurt: 'ok' | 'OUT';
  /** Most correlated sibling and its r. */
  maxSiblingCode: string;
  maxSiblingR: number;
  flagCollinear: 'ok' | 'COLLINEAR';
}

export interface StatsOptions {
  tAvail?: number;
  tZero?: number;
  tUnique?: number;
  tSkew?: number;
  tKurt?: number;
  tCollinear?: number;
  /** Parent code per column, for the collinearity flag (columns with the same parent are siblings). */
  parents?: readonly (string | undefined)[];
}

export function describe(m: Matrix, opts: StatsOptions = {}): StatsRow[] {
  const n = m.rows.length;
  const cols = m.cols.map((_, j) => m.data.subarray(j * n, (j + 1) * n));
  return m.cols.map((code, j) => {
    const x = cols[j] as Float64Array;
    let avail = 0;
    let nonZero = 0;
    const uniq = new Set<number>();
    for (const v of x) {
      if (Number.isNaN(v)) continue;
      avail++;
      if (v !== 0) nonZero++;
      uniq.add(v);
    }
    const sk = skewness(x);
    const kt = kurtosis(x);
    let best = '';
    let bestR = Number.NaN;
    const p = opts.parents?.[j];
    if (p !== undefined) {
      m.cols.forEach((c2, k) => {
        if (k === j || opts.parents?.[k] !== p) return;
        const r = pearson(x, cols[k] as Float64Array);
        if (!Number.isNaN(r) && (Number.isNaN(bestR) || r > bestR)) {
          bestR = r;
          best = c2;
        }
      });
    }
    const shareAvail = n ? avail / n : 0;
    return {
      code,
      min: min(x),
      max: max(x),
      mean: mean(x),
      median: median(x),
      sd: sd(x),
      skew: sk,
      kurt: kt,
      nAvail: avail,
      shareAvail,
      shareNonZero: avail ? nonZero / avail : 0,
      shareUnique: avail ? uniq.size / avail : 0,
      flagAvail: shareAvail < (opts.tAvail ?? 0.65) ? 'LOW' : 'ok',
      flagNonZero: avail && nonZero / avail < (opts.tZero ?? 0.5) ? 'LOW' : 'ok',
      flagUnique: avail && uniq.size / avail < (opts.tUnique ?? 0.5) ? 'LOW' : 'ok',
      flagSkewKurt: Math.abs(sk) >= (opts.tSkew ?? 2) && kt >= (opts.tKurt ?? 3.5) ? 'OUT' : 'ok',
      maxSiblingCode: best,
      maxSiblingR: bestR,
      flagCollinear: !Number.isNaN(bestR) && bestR > (opts.tCollinear ?? 0.9) ? 'COLLINEAR' : 'ok',
    };
  });
}
