/**
 * The one quantile definition Pontis uses everywhere: Hyndman and Fan (1996) type 7, the default of
 * R's quantile() and of NumPy's percentile(). For sorted x[0..n-1] and h = (n − 1)p, the quantile is
 * x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). The statistics (validating, for people's inputs) and the
 * index engine (NaN-skipping, for Float64Array columns) both call this.
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
