/**
 * Quantiles with one pinned definition: Hyndman and Fan (1996) type 7, the default of R's
 * quantile() and of NumPy's percentile(): for sorted x[0..n-1], h = (n-1)p, and the quantile is
 * x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). For p = 0.5 this is the usual median:
 * the middle value for odd n, the mean of the two middle values for even n.
 *
 * weightedQuantile is for population-weighted statements ("the median person lives in a country
 * where..."): the smallest value whose cumulative weight share reaches p.
 */
import { invalid } from '../core/errors.ts';
import { quantileSorted } from '../core/quantile.ts';
import { requireFinite, requireNonNegative, requireShare } from './guards.ts';

function sortedFinite(values: readonly number[], field: string): number[] {
  if (values.length === 0) throw invalid('no values: a quantile of an empty set is undefined', { field });
  values.forEach((v, i) => {
    requireFinite(v, `${field}[${i}]`);
  });
  return [...values].sort((a, b) => a - b);
}

export function quantile(values: readonly number[], p: number, field = 'values'): number {
  requireShare(p, 'p');
  return quantileSorted(sortedFinite(values, field), p);
}

export function median(values: readonly number[], field = 'values'): number {
  return quantile(values, 0.5, field);
}

export function weightedQuantile(
  values: readonly number[],
  weights: readonly number[],
  p: number,
  field = 'values',
): number {
  requireShare(p, 'p');
  if (values.length !== weights.length) {
    throw invalid(`${values.length} values but ${weights.length} weights`, { field: 'weights' });
  }
  if (values.length === 0) throw invalid('no values: a quantile of an empty set is undefined', { field });
  const idx = values.map((v, i) => {
    requireFinite(v, `${field}[${i}]`);
    requireNonNegative(weights[i]!, `weights[${i}]`);
    return i;
  });
  idx.sort((a, b) => values[a]! - values[b]! || a - b);
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) throw invalid('weights sum to zero', { field: 'weights' });
  let cum = 0;
  for (const i of idx) {
    cum += weights[i]!;
    if (cum / total >= p - 1e-12 && weights[i]! > 0) return values[i]!;
  }
  return values[idx[idx.length - 1]!]!;
}
