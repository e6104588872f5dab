/**
 * Outlier detection and treatment of one indicator (the JRC / COINr rule).
 *
 * An indicator fails when |skewness| ≥ skewThreshold AND kurtosis ≥ kurtThreshold, with the
 * sample-adjusted skewness G1 and excess kurtosis G2 of moments.ts (COINr's check_SkewKurt passes
 * when |skew| < 2 OR kurt < 3.5).
 *
 * Winsorisation moves one point at a time: on the side of the current skew (≥ 0: the high end), every
 * value equal to the most extreme one is set to the next distinct value (tied extremes move together).
 * It repeats while the column fails and fewer than `winmax` distinct points have been changed
 * (a step that moves a tie may overshoot winmax, as in COINr). If the column still fails, the
 * winsorised values are discarded and log(x − min + 0.01·(max − min)) of the untreated column is used.
 */
import { kurtosis, max, min, skewness } from './moments.ts';

export interface SkewKurtOptions {
  skewThreshold?: number;
  kurtThreshold?: number;
}

export function failsSkewKurt(x: ArrayLike<number>, opts: SkewKurtOptions = {}): boolean {
  const sk = skewness(x);
  const kt = kurtosis(x);
  if (Number.isNaN(sk) || Number.isNaN(kt)) return false;
  return Math.abs(sk) >= (opts.skewThreshold ?? 2) && kt >= (opts.kurtThreshold ?? 3.5);
}

export interface WinsoriseResult {
  x: Float64Array;
  /** Positions of the changed points. */
  changed: number[];
  /** 'high', 'low' or 'both' (if the skew changed sign along the way), '' if nothing changed. */
  side: '' | 'high' | 'low' | 'both';
  passes: boolean;
}

export function winsorise(
  input: ArrayLike<number>,
  opts: SkewKurtOptions & { winmax?: number } = {},
): WinsoriseResult {
  const x = Float64Array.from(input as ArrayLike<number>);
  const winmax = opts.winmax ?? 5;
  const changed = new Set<number>();
  let high = false;
  let low = false;
  let failing = failsSkewKurt(x, opts);
  while (failing && changed.size < winmax) {
    const up = skewness(x) >= 0;
    const extreme = up ? max(x) : min(x);
    let next = up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      if (Number.isNaN(v) || v === extreme) continue;
      if (up ? v > next : v < next) next = v;
    }
    if (!Number.isFinite(next)) break; // all values equal
    for (let i = 0; i < x.length; i++) {
      if (x[i] === extreme) {
        x[i] = next;
        changed.add(i);
      }
    }
    if (up) high = true;
    else low = true;
    failing = failsSkewKurt(x, opts);
  }
  const side = high && low ? 'both' : high ? 'high' : low ? 'low' : '';
  return { x, changed: [...changed].sort((a, b) => a - b), side, passes: !failing };
}

/** log(x − min + 0.01·(max − min)), COINr's "log_CT"; NaN stays NaN. */
export function logShift(input: ArrayLike<number>): Float64Array {
  const lo = min(input);
  const hi = max(input);
  const a = 0.01 * (hi - lo);
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = Math.log((input[i] as number) - lo + a);
  return out;
}
