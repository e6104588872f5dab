/**
 * Top-to-bottom quintile ratio across countries. Countries are sorted by value and the sorted
 * population is cut into fifths: the bottom quintile is the poorest-served 20% of the group's
 * population (the country straddling the cut contributes the fraction of its population that
 * falls below it), the top quintile the best-served 20%. The ratio is the population-weighted
 * mean value of the top quintile over that of the bottom quintile.
 *
 * With weight 1 for every country (weighted.ts `unweighted`) the quintiles are fifths of the
 * countries instead (fractional at the cut when n is not a multiple of 5).
 */
import { invalid } from '../core/errors.ts';
import { checkSample, type WeightedValue } from './weighted.ts';

export interface QuintileRatio {
  top: number;
  bottom: number;
  ratio: number;
}

/** Weighted mean of x over the slice [from, to) of the cumulative weight (fractions of the total). */
function sliceMean(
  x: number[],
  w: number[],
  order: number[],
  total: number,
  from: number,
  to: number,
): number {
  const a = from * total;
  const b = to * total;
  let cum = 0;
  let sw = 0;
  let swx = 0;
  for (const i of order) {
    const lo = cum;
    const hi = cum + w[i]!;
    const overlap = Math.max(0, Math.min(hi, b) - Math.max(lo, a));
    if (overlap > 0) {
      sw += overlap;
      swx += overlap * x[i]!;
    }
    cum = hi;
  }
  return swx / sw;
}

export function quintileRatio(points: readonly WeightedValue[], share = 0.2): QuintileRatio {
  if (!(share > 0 && share <= 0.5)) throw invalid(`must be in (0, 0.5], got ${share}`, { field: 'share' });
  const { x, w, total } = checkSample(points, { nonNegative: true, what: 'a quintile ratio' });
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const bottom = sliceMean(x, w, order, total, 0, share);
  const top = sliceMean(x, w, order, total, 1 - share, 1);
  if (bottom <= 0) {
    throw invalid('the bottom quintile has a mean of 0: the ratio is undefined', { field: 'values' });
  }
  return { top, bottom, ratio: top / bottom };
}
