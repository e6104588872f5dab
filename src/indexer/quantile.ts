/**
 * Quantiles of Float64Array columns, NaN values skipped, with the one definition in
 * src/core/quantile.ts (R's type 7).
 */
import { quantileSorted } from '../core/quantile.ts';

export { quantileSorted };

export function sortedFinite(x: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedFinite(x), p);
}

export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}
