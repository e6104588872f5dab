/**
 * Copeland outranking aggregation (non-compensatory). For units a and b, the outranking weight
 * o(a,b) = Σ w_i over children where x_ai > x_bi, plus half of w_i where they tie, divided by Σ w_i
 * over children available for both. a beats b when o(a,b) > 0.5, loses when o(a,b) < 0.5 and draws
 * at exactly 0.5. The Copeland score of a is (wins − losses); it ranges from −(n − 1) to n − 1.
 * A unit with no available child gets NaN and is left out of every comparison.
 */
export function copeland(
  cols: readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  nUnits: number,
): Float64Array {
  const out = new Float64Array(nUnits);
  const k = cols.length;
  const has = new Uint8Array(nUnits);
  for (let a = 0; a < nUnits; a++) {
    for (let c = 0; c < k; c++) if (!Number.isNaN((cols[c] as ArrayLike<number>)[a] as number)) has[a] = 1;
    if (!has[a]) out[a] = Number.NaN;
  }
  for (let a = 0; a < nUnits; a++) {
    if (!has[a]) continue;
    for (let b = a + 1; b < nUnits; b++) {
      if (!has[b]) continue;
      let wa = 0;
      let tot = 0;
      for (let c = 0; c < k; c++) {
        const col = cols[c] as ArrayLike<number>;
        const xa = col[a] as number;
        const xb = col[b] as number;
        if (Number.isNaN(xa) || Number.isNaN(xb)) continue;
        const w = weights[c] as number;
        tot += w;
        if (xa > xb) wa += w;
        else if (xa === xb) wa += w / 2;
      }
      if (tot === 0) continue;
      const o = wa / tot;
      if (o > 0.5 + 1e-12) {
        out[a] = (out[a] as number) + 1;
        out[b] = (out[b] as number) - 1;
      } else if (o < 0.5 - 1e-12) {
        out[a] = (out[a] as number) - 1;
        out[b] = (out[b] as number) + 1;
      }
    }
  }
  return out;
}
