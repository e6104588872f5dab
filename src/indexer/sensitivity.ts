/**
 * Variance-based sensitivity analysis: Saltelli's sampling design with Jansen's estimators
 * (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Comput. Phys.
 * Commun. 181, Table 2, estimators (f) and (b)-Jansen):
 *   A, B: two independent N × k samples; A_B^(i): A with column i taken from B. Cost N·(k + 2) runs.
 *   V    = variance of the 2N outputs f(A) ∪ f(B)
 *   S_i  = (V − 1/(2N) Σ (f(B) − f(A_B^(i)))²) / V          first order
 *   ST_i = 1/(2N) Σ (f(A) − f(A_B^(i)))² / V                 total order
 * Confidence intervals by bootstrap over the N rows (percentile intervals). Missing outputs
 * (failed runs) are left out row-wise.
 */

import type { Rng } from './prng.ts';
import { quantile } from './quantile.ts';
import { SOBOL_MAX_DIM, sobolPoints } from './sobol.ts';

export interface SaltelliDesign {
  k: number;
  n: number;
  /** Row-major points, N·(k + 2) rows × k: rows [0, N) = A, [N, 2N) = B, then A_B^(i) for i = 0..k−1. */
  points: Float64Array;
}

/**
 * A and B from the 2k-dimensional Sobol' sequence (A: dimensions 1..k, B: k+1..2k), as Saltelli
 * recommends, when 2k ≤ 32 and no generator is given; otherwise from the seeded generator.
 */
export function saltelliDesign(n: number, k: number, rng?: Rng): SaltelliDesign {
  const points = new Float64Array(n * (k + 2) * k);
  const A = points.subarray(0, n * k);
  const B = points.subarray(n * k, 2 * n * k);
  if (!rng && 2 * k <= SOBOL_MAX_DIM) {
    const s = sobolPoints(n, 2 * k);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) {
        A[r * k + j] = s[r * 2 * k + j] as number;
        B[r * k + j] = s[r * 2 * k + k + j] as number;
      }
    }
  } else {
    const g = rng as Rng;
    for (let t = 0; t < n * k; t++) A[t] = g.next();
    for (let t = 0; t < n * k; t++) B[t] = g.next();
  }
  for (let i = 0; i < k; i++) {
    const ABi = points.subarray((2 + i) * n * k, (3 + i) * n * k);
    ABi.set(A);
    for (let r = 0; r < n; r++) ABi[r * k + i] = B[r * k + i] as number;
  }
  return { k, n, points };
}

export interface SensitivityIndices {
  variance: number;
  first: number[];
  total: number[];
}

/** Indices from the outputs y (length N·(k + 2)) of one scalar output, on the rows `rows` of the base sample. */
export function jansen(
  y: ArrayLike<number>,
  n: number,
  k: number,
  rows?: ArrayLike<number>,
): SensitivityIndices {
  const idx = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = idx.length;
  const ok = (r: number) => {
    if (Number.isNaN(y[r] as number) || Number.isNaN(y[n + r] as number)) return false;
    for (let i = 0; i < k; i++) if (Number.isNaN(y[(2 + i) * n + r] as number)) return false;
    return true;
  };
  let s = 0;
  let s2 = 0;
  let c = 0;
  for (let t = 0; t < m; t++) {
    const r = idx[t] as number;
    if (!ok(r)) continue;
    const a = y[r] as number;
    const b = y[n + r] as number;
    s += a + b;
    s2 += a * a + b * b;
    c += 2;
  }
  const mean = s / c;
  const V = c > 1 ? (s2 - c * mean * mean) / (c - 1) : Number.NaN;
  const first: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < k; i++) {
    let sf = 0;
    let st = 0;
    let cnt = 0;
    for (let t = 0; t < m; t++) {
      const r = idx[t] as number;
      if (!ok(r)) continue;
      const fa = y[r] as number;
      const fb = y[n + r] as number;
      const fab = y[(2 + i) * n + r] as number;
      sf += (fb - fab) * (fb - fab);
      st += (fa - fab) * (fa - fab);
      cnt++;
    }
    first.push(V > 0 ? (V - sf / (2 * cnt)) / V : Number.NaN);
    total.push(V > 0 ? st / (2 * cnt) / V : Number.NaN);
  }
  return { variance: V, first, total };
}

export interface SensitivityWithCi extends SensitivityIndices {
  firstCi: [number, number][];
  totalCi: [number, number][];
}

/** Jansen indices with bootstrap percentile intervals (level 0.95 by default). */
export function jansenBootstrap(
  y: ArrayLike<number>,
  n: number,
  k: number,
  replicates: number,
  rng: Rng,
  level = 0.95,
): SensitivityWithCi {
  const est = jansen(y, n, k);
  const firsts: number[][] = Array.from({ length: k }, () => []);
  const totals: number[][] = Array.from({ length: k }, () => []);
  const rows = new Int32Array(n);
  for (let b = 0; b < replicates; b++) {
    for (let t = 0; t < n; t++) rows[t] = rng.int(n);
    const e = jansen(y, n, k, rows);
    for (let i = 0; i < k; i++) {
      (firsts[i] as number[]).push(e.first[i] as number);
      (totals[i] as number[]).push(e.total[i] as number);
    }
  }
  const lo = (1 - level) / 2;
  const ci = (v: number[]): [number, number] =>
    v.length ? [quantile(v, lo), quantile(v, 1 - lo)] : [Number.NaN, Number.NaN];
  return { ...est, firstCi: firsts.map(ci), totalCi: totals.map(ci) };
}
