/**
 * Uncertainty analysis summaries: from a runs × units matrix of ranks, each unit's nominal rank,
 * median rank, mean rank and 5th–95th percentile interval (quantiles of type 7).
 */
import { quantileSorted, sortedFinite } from './quantile.ts';

export interface RankInterval {
  unit: string;
  nominal: number;
  median: number;
  mean: number;
  q05: number;
  q95: number;
  /** Runs in which the unit had a rank (not screened out, run not failed). */
  runs: number;
}

/** `ranks` is row-major runs × stride; the first units.length entries of each row are ranks. */
export function rankIntervals(
  ranks: Float64Array,
  stride: number,
  units: readonly string[],
  nominal: ArrayLike<number>,
): RankInterval[] {
  const runs = ranks.length / stride;
  return units.map((unit, i) => {
    const v = new Float64Array(runs);
    for (let r = 0; r < runs; r++) v[r] = ranks[r * stride + i] as number;
    const s = sortedFinite(v);
    let sum = 0;
    for (const x of s) sum += x;
    return {
      unit,
      nominal: nominal[i] as number,
      median: quantileSorted(s, 0.5),
      mean: s.length ? sum / s.length : Number.NaN,
      q05: quantileSorted(s, 0.05),
      q95: quantileSorted(s, 0.95),
      runs: s.length,
    };
  });
}
