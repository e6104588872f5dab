/**
 * Pearson and Spearman correlations over pairwise-complete observations, correlation matrices, and
 * flags for collinear (r > 0.9, the default of COINr's get_corr_flags()) and negatively correlated
 * (r < −0.4, a Pontis default) pairs.
 */
import { rankAverage } from './rank.ts';

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < 2) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) * (a - mx);
    syy += (b - my) * (b - my);
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho: Pearson correlation of average ranks, ranked within the pairwise-complete pairs. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const u = x[i] as number;
    const v = y[i] as number;
    if (Number.isNaN(u) || Number.isNaN(v)) continue;
    a.push(u);
    b.push(v);
  }
  return pearson(rankAverage(a), rankAverage(b));
}

export type CorrelationMethod = 'pearson' | 'spearman';

export function correlation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  method: CorrelationMethod = 'pearson',
): number {
  return method === 'pearson' ? pearson(x, y) : spearman(x, y);
}

/** Correlations of every column in `a` with every column in `b`: result[i][j] = cor(a[i], b[j]). */
export function correlationMatrix(
  a: readonly ArrayLike<number>[],
  b: readonly ArrayLike<number>[] = a,
  method: CorrelationMethod = 'pearson',
): number[][] {
  return a.map((x) => b.map((y) => correlation(x, y, method)));
}

export interface CorrelationFlagOptions {
  high?: number;
  low?: number;
}

export type CorrelationFlag = 'collinear' | 'negative' | '';

export function correlationFlag(r: number, opts: CorrelationFlagOptions = {}): CorrelationFlag {
  if (Number.isNaN(r)) return '';
  if (r > (opts.high ?? 0.9)) return 'collinear';
  if (r < (opts.low ?? -0.4)) return 'negative';
  return '';
}
