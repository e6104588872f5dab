/**
 * Ranking. Scores are ranked with 1 = best (highest score); tied scores share the lowest rank
 * number of their block ("min" ranking, R's rank(-x, ties.method = "min")). Missing scores get NaN.
 */
export function rankDescending(scores: ArrayLike<number>): Float64Array {
  return rankBlocks(scores, -1, (first) => first);
}

/**
 * Ascending ranks with ties averaged (R's rank(x, ties.method = "average")), NaN kept as NaN.
 * Used for Spearman correlation and the percentile-rank normalisation.
 */
export function rankAverage(x: ArrayLike<number>): Float64Array {
  return rankBlocks(x, 1, (first, last) => (first + last) / 2);
}

/** Ascending ranks, ties get the lowest rank of their block (R's rank(x, ties.method = "min")). */
export function rankMinAscending(x: ArrayLike<number>): Float64Array {
  return rankBlocks(x, 1, (first) => first);
}

/**
 * The values other than NaN sorted in `order` (1 ascending, -1 descending; equal values by
 * position), then each block of equal values given `rankOf(first, last)` of its 1-based positions.
 */
function rankBlocks(
  x: ArrayLike<number>,
  order: 1 | -1,
  rankOf: (first: number, last: number) => number,
): Float64Array {
  const n = x.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i] as number)) idx.push(i);
  idx.sort((a, b) => order * ((x[a] as number) - (x[b] as number)) || a - b);
  const out = new Float64Array(n).fill(Number.NaN);
  let k = 0;
  while (k < idx.length) {
    const v = x[idx[k] as number] as number;
    let e = k;
    while (e + 1 < idx.length && x[idx[e + 1] as number] === v) e++;
    const r = rankOf(k + 1, e + 1);
    for (let t = k; t <= e; t++) out[idx[t] as number] = r;
    k = e + 1;
  }
  return out;
}
