/**
 * Quantiles, pinned to one definition: R's type 7 (linear interpolation between order statistics,
 * h = (n − 1)p), the default of R's quantile() and of NumPy. NaN values are skipped.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0] as number;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

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
