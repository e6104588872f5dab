/**
 * Coefficient of variation: the standard deviation divided by the mean.
 *
 *   weighted (Williamson 1965):  CV_w = sqrt(Σ p_i (x_i − μ_w)²) / μ_w,   p_i = w_i / Σ w
 *   unweighted:                  CV   = sqrt(Σ (x_i − μ)² / n) / μ
 *
 * Both use the population standard deviation (divide by Σw or n, not n − 1), so the unweighted CV
 * is the weighted CV with equal weights. Pass weight 1 (weighted.ts `unweighted`) for the
 * unweighted form; the result records which one was computed.
 */
import { invalid } from '../core/errors.ts';
import { checkSample, type WeightedValue } from './weighted.ts';

export interface Dispersion {
  mean: number;
  sd: number;
  cv: number;
  weighted: boolean;
}

export function dispersion(points: readonly WeightedValue[]): Dispersion {
  const { x, w, total, mean } = checkSample(points, { what: 'a coefficient of variation' });
  if (mean === 0)
    throw invalid('the mean is 0: the coefficient of variation is undefined', { field: 'values' });
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += w[i]! * (x[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / total);
  const weighted = w.some((v) => v !== w[0]);
  return { mean, sd, cv: sd / mean, weighted };
}

export function coefficientOfVariation(points: readonly WeightedValue[]): number {
  return dispersion(points).cv;
}
