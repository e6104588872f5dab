/**
 * Population-weighted Gini coefficient across countries (between-country inequality: every person
 * is given their country's value):
 *
 *   G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ),   W = Σ w_i,  μ = Σ w_i x_i / W
 *
 * i.e. the weighted mean absolute difference divided by twice the weighted mean. Computed in
 * O(n log n) from the sorted values. No small-sample correction: with n equal weights the maximum
 * is 1 − 1/n. Values must be non-negative with a positive mean.
 */
import { invalid } from '../core/errors.ts';
import { checkSample, type WeightedValue } from './weighted.ts';

export const GINI_FORMULA = 'G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)';

export function gini(points: readonly WeightedValue[]): number {
  const { x, w, total, mean } = checkSample(points, { nonNegative: true, what: 'a Gini coefficient' });
  if (mean <= 0)
    throw invalid('the weighted mean is 0: the Gini coefficient is undefined', { field: 'values' });
  const idx = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  // Σ_i Σ_j w_i w_j |x_i − x_j| = 2 Σ_i w_i x_i (W_below_i − W_above_i) over the sorted order.
  let below = 0;
  let s = 0;
  for (const i of idx) {
    const above = total - below - w[i]!;
    s += w[i]! * x[i]! * (below - above);
    below += w[i]!;
  }
  const g = (2 * s) / (2 * total * total * mean);
  // Clamp the rounding residue of exactly-equal values (g ≈ −1e-17) to 0.
  return g < 0 && g > -1e-12 ? 0 : g;
}
