import { describe, expect, it } from 'vitest';
import {
  betaConvergence,
  incompleteBeta,
  linearFit,
  logGamma,
  sigmaConvergence,
  studentTTwoSided,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

describe('Student t p-values', () => {
  it('df = 2 has the closed form p = 1 − |t|/√(t² + 2): t = √128 → 1 − √128/√130', () => {
    const t = Math.sqrt(128);
    expect(studentTTwoSided(t, 2)).toBeCloseTo(1 - t / Math.sqrt(130), 12);
  });

  it('df = 1 (Cauchy): p = 1 − (2/π) atan|t|, so t = 1 gives 0.5; t = 0 gives 1', () => {
    expect(studentTTwoSided(1, 1)).toBeCloseTo(0.5, 12);
    expect(studentTTwoSided(0, 7)).toBeCloseTo(1, 12);
  });

  it('the 5% critical value for df = 10 is 2.228139; for df = 30, 2.042272', () => {
    expect(studentTTwoSided(2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSided(-2.042272, 30)).toBeCloseTo(0.05, 6);
  });

  it('log-gamma and the incomplete beta at known points', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
  });
});

describe('least squares', () => {
  it('time weights 1, 2, 3 on x = 0, 1, 2, y = 0, 0.1, 0.3: x̄ = 4/3, ȳ = 1.1/6, Sxx = 10/3, Sxy = 2 − 4/3·1.1 = 0.5333, b = 0.16', () => {
    const f = linearFit([0, 1, 2], [0, 0.1, 0.3], [1, 2, 3]);
    expect(f.slope).toBeCloseTo(0.16, 14);
    expect(f.intercept).toBeCloseTo(1.1 / 6 - 0.16 * (4 / 3), 14);
  });

  it('ordinary least squares on the same points: b = 0.3/2 = 0.15, a = 0.1333 − 0.15', () => {
    const f = linearFit([0, 1, 2], [0, 0.1, 0.3]);
    expect(f.slope).toBeCloseTo(0.15, 14);
    expect(f.intercept).toBeCloseTo(0.4 / 3 - 0.15, 14);
  });

  it('errors: fewer than two points, equal x', () => {
    expectPontisError(() => linearFit([1], [1]), 'invalid_input', 'n');
    expectPontisError(() => linearFit([2, 2, 2], [1, 2, 3]), 'invalid_input', 'x');
  });
});

describe('beta convergence', () => {
  // ln x0 = 0, 1, 2, 3; annual log growth over 10 years g = 0.05, 0.03, 0.02, 0.00.
  // x̄ = 1.5, ȳ = 0.025, Sxx = 5, Sxy = −0.08 → β = −0.016, α = 0.025 + 0.016·1.5 = 0.049.
  // Fitted 0.049, 0.033, 0.017, 0.001; residuals 0.001, −0.003, 0.003, −0.001; SSE = 2e-5.
  // s² = 2e-5/2 = 1e-5; se(β) = √(1e-5/5) = √2e-6 = 0.0014142; t = −0.016/0.0014142 = −√128 = −11.3137.
  // p (df 2) = 1 − √128/√130 = 0.0077221; R² = 1 − 2e-5/0.0013 = 0.984615; λ = −ln(1 − 0.16)/10 = 0.0174353.
  const logs = [0, 1, 2, 3];
  const g = [0.05, 0.03, 0.02, 0];
  const start = { year: 2010, values: logs.map((l, i) => ({ geo: `C${i}`, value: Math.exp(l) })) };
  const end = { year: 2020, values: logs.map((l, i) => ({ geo: `C${i}`, value: Math.exp(l + 10 * g[i]!) })) };

  it('slope, standard error, t, p, n, R² and speed as worked by hand', () => {
    const b = betaConvergence(start, end);
    expect(b.slope).toBeCloseTo(-0.016, 12);
    expect(b.intercept).toBeCloseTo(0.049, 12);
    expect(b.slopeSE).toBeCloseTo(Math.sqrt(2e-6), 12);
    expect(b.t).toBeCloseTo(-Math.sqrt(128), 8);
    expect(b.p).toBeCloseTo(1 - Math.sqrt(128) / Math.sqrt(130), 8);
    expect(b.n).toBe(4);
    expect(b.r2).toBeCloseTo(1 - 2e-5 / 0.0013, 10);
    expect(b.speed).toBeCloseTo(-Math.log(0.84) / 10, 12);
    expect(b.converging).toBe(true);
  });

  it('uses only countries present in both years; needs positive values, 3 countries and a later end year', () => {
    const extra = { year: 2020, values: [...end.values, { geo: 'ZZZ', value: 5 }] };
    expect(betaConvergence(start, extra).n).toBe(4);
    expectPontisError(
      () =>
        betaConvergence(
          { year: 2010, values: [{ geo: 'C0', value: 0 }] },
          { year: 2020, values: [{ geo: 'C0', value: 1 }] },
        ),
      'invalid_input',
      'value (C0)',
    );
    expectPontisError(
      () => betaConvergence({ ...start, values: start.values.slice(0, 2) }, end),
      'invalid_input',
      'values',
    );
    expectPontisError(() => betaConvergence(start, { ...end, year: 2010 }), 'invalid_input', 'endYear');
  });
});

describe('sigma convergence', () => {
  // Unweighted CV: 2000 {1, 3} → μ 2, sd 1, CV 0.5; 2010 {2, 3} → μ 2.5, sd 0.5, CV 0.2.
  // Slope (0.2 − 0.5)/10 = −0.03 < 0: converging. ZZZ (2010 only) is left out (balanced panel).
  const panel = {
    2000: [
      { geo: 'A', value: 1, weight: 5 },
      { geo: 'B', value: 3, weight: 1 },
    ],
    2010: [
      { geo: 'A', value: 2, weight: 5 },
      { geo: 'B', value: 3, weight: 1 },
      { geo: 'ZZZ', value: 100, weight: 1 },
    ],
  };

  it('unweighted CV per year over a balanced panel, and its trend', () => {
    const s = sigmaConvergence(panel, { weighted: false });
    expect(s.countries).toEqual(['A', 'B']);
    expect(s.cv[0]).toBeCloseTo(0.5, 15);
    expect(s.cv[1]).toBeCloseTo(0.2, 15);
    expect(s.trend?.slope).toBeCloseTo(-0.03, 14);
    expect(s.converging).toBe(true);
  });

  it('population-weighted by default: 2000 μ = (5 + 3)/6 = 4/3, var = (5·1/9 + 1·25/9)/6 = 5/9, CV = √(5/9)/(4/3)', () => {
    const s = sigmaConvergence(panel);
    expect(s.weighted).toBe(true);
    expect(s.cv[0]).toBeCloseTo(Math.sqrt(5 / 9) / (4 / 3), 14);
  });

  it('needs two years and two countries in every year', () => {
    expectPontisError(() => sigmaConvergence({ 2000: panel[2000] }), 'invalid_input', 'years');
    expectPontisError(
      () => sigmaConvergence({ 2000: panel[2000], 2010: [{ geo: 'A', value: 1, weight: 1 }] }),
      'invalid_input',
      'values',
    );
  });
});
