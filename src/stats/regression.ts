/**
 * Simple (weighted) least squares y = a + b·x, with the standard error of the slope, its t
 * statistic and two-sided p-value (Student t, n − 2 degrees of freedom) and R².
 *
 *   b = Σ w (x − x̄)(y − ȳ) / Σ w (x − x̄)²,   a = ȳ − b x̄   (x̄, ȳ weighted means)
 *   s² = Σ w e² / (n − 2),   se(b) = sqrt(s² / Σ w (x − x̄)²)
 *
 * With unit weights this is ordinary least squares.
 */
import { invalid } from '../core/errors.ts';
import { studentTTwoSided } from './distributions.ts';
import { requireFinite, requireNonNegative } from './guards.ts';

export interface LinearFit {
  intercept: number;
  slope: number;
  n: number;
  /** null when n < 3 (no residual degrees of freedom) */
  slopeSE: number | null;
  t: number | null;
  p: number | null;
  r2: number | null;
}

export function linearFit(x: readonly number[], y: readonly number[], w?: readonly number[]): LinearFit {
  const n = x.length;
  if (y.length !== n || (w && w.length !== n)) {
    throw invalid('x, y and weights must have the same length', { field: 'x' });
  }
  if (n < 2) throw invalid(`a regression needs at least 2 points, got ${n}`, { field: 'n' });
  const ww = w ?? x.map(() => 1);
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    requireFinite(x[i]!, `x[${i}]`);
    requireFinite(y[i]!, `y[${i}]`);
    requireNonNegative(ww[i]!, `w[${i}]`);
    sw += ww[i]!;
    sx += ww[i]! * x[i]!;
    sy += ww[i]! * y[i]!;
  }
  if (sw <= 0) throw invalid('weights sum to zero', { field: 'w' });
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += ww[i]! * dx * dx;
    sxy += ww[i]! * dx * dy;
    syy += ww[i]! * dy * dy;
  }
  if (sxx === 0) throw invalid('all x values are equal: the slope is undefined', { field: 'x' });
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (n < 3) return { intercept, slope, n, slopeSE: null, t: null, p: null, r2: syy > 0 ? 1 : null };
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - intercept - slope * x[i]!;
    sse += ww[i]! * e * e;
  }
  const s2 = sse / (n - 2);
  const slopeSE = Math.sqrt(s2 / sxx);
  const t = slopeSE > 0 ? slope / slopeSE : slope === 0 ? 0 : Number.POSITIVE_INFINITY * Math.sign(slope);
  const p = studentTTwoSided(t, n - 2);
  return { intercept, slope, n, slopeSE, t, p, r2: syy > 0 ? 1 - sse / syy : null };
}
