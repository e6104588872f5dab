/**
 * Ranking. Scores are ranked with 1 = best (highest score); tied scores share the lowest rank
 * number of their block ("min" ranking, R's rank(-x, ties.method = "min")). Missing scores get NaN.
 */
export function rankDescending(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(scores[i] as number)) idx.push(i);
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const out = new Float64Array(n).fill(Number.NaN);
  let k = 0;
  while (k < idx.length) {
    const v = scores[idx[k] as number] as number;
    let e = k;
    while (e + 1 < idx.length && scores[idx[e + 1] as number] === v) e++;
    for (let t = k; t <= e; t++) out[idx[t] as number] = k + 1;
    k = e + 1;
  }
  return out;
}

/**
 * Ascending ranks with ties averaged (R's rank(x, ties.method = "average")), NaN kept as NaN.
 * Used for Spearman correlation and the percentile-rank normalisation.
 */
export function rankAverage(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i] as number)) idx.push(i);
  idx.sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const out = new Float64Array(n).fill(Number.NaN);
  let k = 0;
  while (k < idx.length) {
    const v = x[idx[k] as number] as number;
    let e = k;
    while (e + 1 < idx.length && x[idx[e + 1] as number] === v) e++;
    const r = (k + e) / 2 + 1;
    for (let t = k; t <= e; t++) out[idx[t] as number] = r;
    k = e + 1;
  }
  return out;
}

/** Ascending ranks, ties get the lowest rank of their block (R's rank(x, ties.method = "min")). */
export function rankMinAscending(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i] as number)) idx.push(i);
  idx.sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const out = new Float64Array(n).fill(Number.NaN);
  let k = 0;
  while (k < idx.length) {
    const v = x[idx[k] as number] as number;
    let e = k;
    while (e + 1 < idx.length && x[idx[e + 1] as number] === v) e++;
    for (let t = k; t <= e; t++) out[idx[t] as number] = k + 1;
    k = e + 1;
  }
  return out;
}
