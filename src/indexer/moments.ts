/**
 * Sample moments of a vector, NaN skipped.
 * Skewness and kurtosis use the sample-adjusted ("type 2", Excel SKEW/KURT, SAS) definitions,
 * the ones COINr uses for its outlier rule (R/treat.R, skew() and kurt(), from e1071 type 2):
 *   g1 = √n Σd³ / (Σd²)^{3/2},  G1 = g1 · √(n(n−1)) / (n−2)
 *   r  = n Σd⁴ / (Σd²)²,        G2 = ((n+1)(r−3) + 6)(n−1) / ((n−2)(n−3))   (excess kurtosis)
 * with d = x − mean(x).
 */

export function finite(x: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : s / n;
}

/** Sample variance (n − 1 denominator). */
export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += (v - m) * (v - m);
      n++;
    }
  }
  return n < 2 ? Number.NaN : s / (n - 1);
}

export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Sample-adjusted skewness G1 (needs ≥ 3 values; NaN otherwise or for a constant vector). */
export function skewness(x: ArrayLike<number>): number {
  const m = mean(x);
  let s2 = 0;
  let s3 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    const d = v - m;
    s2 += d * d;
    s3 += d * d * d;
    n++;
  }
  if (n < 3 || s2 === 0) return Number.NaN;
  const g1 = (Math.sqrt(n) * s3) / s2 ** 1.5;
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/** Sample-adjusted excess kurtosis G2 (needs ≥ 4 values; NaN otherwise or for a constant vector). */
export function kurtosis(x: ArrayLike<number>): number {
  const m = mean(x);
  let s2 = 0;
  let s4 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    const d = v - m;
    s2 += d * d;
    s4 += d * d * d * d;
    n++;
  }
  if (n < 4 || s2 === 0) return Number.NaN;
  const r = (n * s4) / (s2 * s2);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

export function min(x: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v < m) m = v;
  }
  return m === Number.POSITIVE_INFINITY ? Number.NaN : m;
}

export function max(x: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v > m) m = v;
  }
  return m === Number.NEGATIVE_INFINITY ? Number.NaN : m;
}
