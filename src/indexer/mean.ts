/**
 * Weighted means of one unit's child values, skipping missing values and rescaling the weights over
 * the available ones (NaN if none is available or their weights sum to 0).
 * - arithmetic: Σ w x / Σ w
 * - geometric:  exp(Σ w ln x / Σ w); a zero value gives 0 (the limit); a negative value is an error
 * - harmonic:   Σ w / Σ (w / x); a zero value gives 0 (the limit); a negative value is an error
 * Children with weight 0 are ignored entirely (so a zero-weighted zero does not zero a geometric mean).
 */
export type MeanKind = 'arithmetic' | 'geometric' | 'harmonic';

export class NegativeValueError extends Error {}

export function weightedMean(kind: MeanKind, x: ArrayLike<number>, w: ArrayLike<number>): number {
  let sw = 0;
  let acc = 0;
  let zero = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const wi = w[i] as number;
    if (Number.isNaN(v) || wi === 0) continue;
    sw += wi;
    if (kind === 'arithmetic') acc += wi * v;
    else {
      if (v < 0) throw new NegativeValueError(`a ${kind} mean needs values ≥ 0, got ${v}`);
      if (v === 0) zero = true;
      else acc += kind === 'geometric' ? wi * Math.log(v) : wi / v;
    }
  }
  if (sw === 0) return Number.NaN;
  if (kind === 'arithmetic') return acc / sw;
  if (zero) return 0;
  return kind === 'geometric' ? Math.exp(acc / sw) : sw / acc;
}
