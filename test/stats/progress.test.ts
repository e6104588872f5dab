import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  anticipatedProgress,
  cagr,
  cagrBetween,
  currentStatusIndex,
  logLinearGrowth,
  parseTargets,
  progressTowards,
  targetById,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

describe('CAGR', () => {
  it('100 → 121 over 2 years: (121/100)^(1/2) − 1 = 0.1', () => {
    expect(cagr(100, 121, 2)).toBeCloseTo(0.1, 15);
  });

  it('10 → 10·1.1^15 over 15 years is 10%; a halving over one year is −50%; reaching 0 is −100%', () => {
    expect(cagr(10, 10 * 1.1 ** 15, 15)).toBeCloseTo(0.1, 14);
    expect(cagr(8, 4, 1)).toBe(-0.5);
    expect(cagr(8, 0, 3)).toBe(-1);
  });

  it('from a series, between two observed years', () => {
    const s = [
      { year: 2015, value: 20 },
      { year: 2017, value: 24.2 },
    ];
    expect(cagrBetween(s, 2015, 2017)).toBeCloseTo(0.1, 14);
    expectPontisError(() => cagrBetween(s, 2016, 2017), 'invalid_input', 'fromYear');
  });

  it('a zero or negative start and a zero period are errors, not Infinity or NaN', () => {
    expectPontisError(() => cagr(0, 5, 3), 'invalid_input', 'start');
    expectPontisError(() => cagr(5, -1, 3), 'invalid_input', 'end');
    expectPontisError(() => cagr(5, 6, 0), 'invalid_input', 'years');
  });

  it('log-linear growth needs positive values and two observations', () => {
    expect(
      logLinearGrowth([
        { year: 2000, value: 1 },
        { year: 2001, value: 1.1 },
      ]).rate,
    ).toBeCloseTo(0.1, 14);
    expectPontisError(
      () =>
        logLinearGrowth([
          { year: 2000, value: 0 },
          { year: 2001, value: 1 },
        ]),
      'invalid_input',
      'value',
    );
    expectPontisError(() => logLinearGrowth([{ year: 2000, value: 1 }]), 'invalid_input', 'series');
  });
});

// No published ESCAP example with its inputs was found (docs/methodology.md 3.9 lists the sources
// searched), so these examples are worked by hand from the published formulas, in the comments.
// Worked example 1, higher is better. Internet use (%) grows exactly 10% a year from 10 in 2015:
//   2015 10, 2016 11, 2017 12.1, 2018 13.31; target 50% by 2030.
// CSI = (13.31 − 10)/(50 − 10) = 3.31/40 = 0.08275; expected by 2018: (2018 − 2015)/(2030 − 2015) = 0.2.
// Growth: ln x is exactly linear, slope ln 1.1, so r = 0.1 with or without time weights.
// Î_2030 = 13.31 · 1.1^12 = 10 · 1.1^15 = 41.77248169…; API = (41.77248 − 10)/40 = 0.794312…
// → 'acceleration-needed'; gap 0.205688…; required rate (50/13.31)^(1/12) − 1 = 0.116519…
const ex1 = [
  { year: 2015, value: 10 },
  { year: 2016, value: 11 },
  { year: 2017, value: 12.1 },
  { year: 2018, value: 13.31 },
];

describe('ESCAP Current Status Index', () => {
  it('worked example 1: CSI 0.08275 against 0.2 of the period elapsed → behind schedule', () => {
    const c = currentStatusIndex(ex1, { target: 50, direction: 1 });
    expect(c.csi).toBeCloseTo(0.08275, 14);
    expect(c.expectedToDate).toBeCloseTo(0.2, 15);
    expect(c.onSchedule).toBe(false);
    expect(c.baseline).toEqual({ year: 2015, value: 10, filled: false });
    expect(c.current).toEqual({ year: 2018, value: 13.31, filled: false });
  });

  it('lower is better: 4% of GNI p.c. in 2015 to 3% in 2020, target 2%: CSI = (3 − 4)/(2 − 4) = 0.5 ≥ 5/15', () => {
    const c = currentStatusIndex(
      [
        { year: 2015, value: 4 },
        { year: 2020, value: 3 },
      ],
      { target: 2, direction: -1 },
    );
    expect(c.csi).toBe(0.5);
    expect(c.onSchedule).toBe(true);
  });

  it('parity indicator: GPS 0.8 in 2015, 0.9 in 2020, target 1: CSI = 1 − |1 − 0.9|/|1 − 0.8| = 0.5', () => {
    const c = currentStatusIndex(
      [
        { year: 2015, value: 0.8 },
        { year: 2020, value: 0.9 },
      ],
      { target: 1, direction: 0 },
    );
    expect(c.csi).toBeCloseTo(0.5, 14);
  });

  it('the baseline comes from the nearest year within 3 years (earlier on ties) and is flagged', () => {
    const c = currentStatusIndex(
      [
        { year: 2014, value: 9 },
        { year: 2016, value: 11 },
        { year: 2019, value: 15 },
      ],
      { target: 50, direction: 1 },
    );
    // Baseline 2014 (tie with 2016, earlier wins): CSI = (15 − 9)/(50 − 9) = 6/41.
    expect(c.baseline).toEqual({ year: 2014, value: 9, filled: true });
    expect(c.csi).toBeCloseTo(6 / 41, 15);
  });

  it('a target already met at the baseline has no CSI, and says so', () => {
    const c = currentStatusIndex(
      [
        { year: 2015, value: 80 },
        { year: 2020, value: 85 },
      ],
      { target: 75, direction: 1 },
    );
    expect(c.csi).toBeNull();
    expect(c.metAtBaseline).toBe(true);
  });

  it('errors: no baseline within the window, nothing after the baseline, bad direction or years', () => {
    expectPontisError(
      () =>
        currentStatusIndex(
          [
            { year: 2010, value: 1 },
            { year: 2020, value: 2 },
          ],
          { target: 5, direction: 1 },
        ),
      'invalid_input',
      'baseline',
    );
    expectPontisError(
      () => currentStatusIndex([{ year: 2015, value: 1 }], { target: 5, direction: 1 }),
      'invalid_input',
      'series',
    );
    expectPontisError(
      () => currentStatusIndex(ex1, { target: 5, direction: 2 as 1 }),
      'invalid_input',
      'direction',
    );
    expectPontisError(
      () => currentStatusIndex(ex1, { target: 5, direction: 1, targetYear: 2010 }),
      'invalid_input',
      'targetYear',
    );
    expectPontisError(
      () => currentStatusIndex(ex1, { target: Number.NaN, direction: 1 }),
      'invalid_input',
      'target',
    );
  });
});

describe('ESCAP Anticipated Progress Index', () => {
  it('worked example 1: r = 0.1, Î_2030 = 10·1.1^15, API = 0.794312 → acceleration needed', () => {
    const a = anticipatedProgress(ex1, { target: 50, direction: 1 });
    expect(a.rate).toBeCloseTo(0.1, 12);
    expect(a.projected).toBeCloseTo(10 * 1.1 ** 15, 10);
    expect(a.projected).toBeCloseTo(41.77248169, 7);
    expect(a.api).toBeCloseTo((10 * 1.1 ** 15 - 10) / 40, 10);
    expect(a.api).toBeCloseTo(0.794312, 6);
    expect(a.gap).toBeCloseTo(1 - 0.794312042, 6);
    expect(a.requiredRate).toBeCloseTo((50 / 13.31) ** (1 / 12) - 1, 14);
    expect(a.classification).toBe('acceleration-needed');
    expect(a.weighting).toBe('time');
  });

  it('time weights change the estimate: ln x = 0, 0.1, 0.3 in 2017–2019 gives b = 0.16 (weights 1, 2, 3), 0.15 (OLS)', () => {
    // Baseline: no 2015 value, nearest within 3 years is 2017 (x = 1), flagged.
    // The time-weighted least squares of y = ln x on t, weights w = t − 2017 + 1 = 1, 2, 3 (Σw = 6):
    //   t̄ = (2017 + 2·2018 + 3·2019)/6 = 12110/6 = 2018⅓;  ȳ = (0 + 2·0.1 + 3·0.3)/6 = 1.1/6
    //   t − t̄ = −4/3, −1/3, 2/3;  y − ȳ = −1.1/6, −0.5/6, 0.7/6
    //   Σw(t − t̄)(y − ȳ) = 1·(4/3)(1.1/6) + 2·(1/3)(0.5/6) + 3·(2/3)(0.7/6)
    //                    = (4.4 + 1 + 4.2)/18 = 9.6/18 = 0.5333…
    //   Σw(t − t̄)² = 1·16/9 + 2·1/9 + 3·4/9 = 30/9 = 3.3333…
    //   b = 0.5333…/3.3333… = 0.16;  a = ȳ − b·t̄ = 1.1/6 − 0.16·12110/6 = (1.1 − 1937.6)/6 = −322.75
    // OLS (equal weights): t̄ = 2018, ȳ = 0.4/3; Σ(t − t̄)(y − ȳ) = 0.3, Σ(t − t̄)² = 2, b = 0.15.
    // time-weighted: Î_2030 = e^0.3 · e^(0.16·11) = e^2.06 = 7.845969…; API = (e^2.06 − 1)/(10 − 1) = 0.760663…
    // OLS:           Î_2030 = e^0.3 · e^(0.15·11) = e^1.95 = 7.028688…; API = (e^1.95 − 1)/9 = 0.669854…
    const s = [
      { year: 2017, value: 1 },
      { year: 2018, value: Math.exp(0.1) },
      { year: 2019, value: Math.exp(0.3) },
    ];
    const fit = logLinearGrowth(s).fit;
    expect(fit.slope).toBeCloseTo(9.6 / 18 / (30 / 9), 12);
    expect(fit.intercept).toBeCloseTo((1.1 - 0.16 * 12110) / 6, 8);
    expect(logLinearGrowth(s, 'none').fit.slope).toBeCloseTo(0.3 / 2, 12);
    const tw = anticipatedProgress(s, { target: 10, direction: 1 });
    expect(tw.baseline).toEqual({ year: 2017, value: 1, filled: true });
    expect(tw.rate).toBeCloseTo(Math.exp(0.16) - 1, 13);
    expect(tw.projected).toBeCloseTo(Math.exp(2.06), 11);
    expect(tw.api).toBeCloseTo((Math.exp(2.06) - 1) / 9, 12);
    expect(tw.api).toBeCloseTo(0.760663, 6);
    const ols = anticipatedProgress(s, { target: 10, direction: 1, weighting: 'none' });
    expect(ols.rate).toBeCloseTo(Math.exp(0.15) - 1, 13);
    expect(ols.api).toBeCloseTo((Math.exp(1.95) - 1) / 9, 12);
    expect(ols.api).toBeCloseTo(0.669854, 6);
  });

  it('lower is better and moving away: price share 4% → 4.4% (r = 10%), target 2%: Î = 4·1.1^15 = 16.709, API = (16.709 − 4)/(2 − 4) = −6.35 → regression', () => {
    const a = anticipatedProgress(
      [
        { year: 2015, value: 4 },
        { year: 2016, value: 4.4 },
      ],
      { target: 2, direction: -1 },
    );
    expect(a.projected).toBeCloseTo(4 * 1.1 ** 15, 10);
    expect(a.api).toBeCloseTo((4 * 1.1 ** 15 - 4) / -2, 10);
    expect(a.classification).toBe('regression');
  });

  it('lower is better and on track: 8 → 4 (r = −50%), target 2: Î = 4·0.5^14, API = (Î − 8)/(2 − 8) ≥ 1 → on track', () => {
    const a = anticipatedProgress(
      [
        { year: 2015, value: 8 },
        { year: 2016, value: 4 },
      ],
      { target: 2, direction: -1 },
    );
    expect(a.rate).toBeCloseTo(-0.5, 14);
    expect(a.api).toBeCloseTo((4 * 0.5 ** 14 - 8) / -6, 12);
    expect(a.classification).toBe('on-track');
  });

  it('parity: GPS 0.8 (2015) → 0.9 (2020); r = 1.125^(1/5) − 1; Î = 0.9·1.125² = 1.1390625 overshoots: API = 1 − 0.1390625/0.2 = 0.3046875', () => {
    const a = anticipatedProgress(
      [
        { year: 2015, value: 0.8 },
        { year: 2020, value: 0.9 },
      ],
      { target: 1, direction: 0 },
    );
    expect(a.projected).toBeCloseTo(1.1390625, 12);
    expect(a.api).toBeCloseTo(0.3046875, 12);
    expect(a.classification).toBe('acceleration-needed');
  });

  it('classification thresholds are parameters', () => {
    const a = anticipatedProgress(ex1, {
      target: 50,
      direction: 1,
      thresholds: { onTrack: 0.75, regression: 0 },
    });
    expect(a.classification).toBe('on-track');
    expectPontisError(
      () => anticipatedProgress(ex1, { target: 50, direction: 1, thresholds: { onTrack: 0, regression: 1 } }),
      'invalid_input',
      'thresholds',
    );
  });

  it('met at baseline: on track while the projection stays at or above the target, else regression', () => {
    const up = anticipatedProgress(
      [
        { year: 2015, value: 80 },
        { year: 2020, value: 85 },
      ],
      { target: 75, direction: 1 },
    );
    expect(up.api).toBeNull();
    expect(up.classification).toBe('on-track');
    const down = anticipatedProgress(
      [
        { year: 2015, value: 80 },
        { year: 2020, value: 76 },
      ],
      { target: 75, direction: 1 },
    );
    expect(down.classification).toBe('regression');
  });

  it('the trend uses observations from fitFrom (default 2000) on', () => {
    const s = [{ year: 1990, value: 1000 }, ...ex1];
    expect(anticipatedProgress(s, { target: 50, direction: 1 }).fitYears).toEqual([2015, 2016, 2017, 2018]);
    expect(anticipatedProgress(s, { target: 50, direction: 1, fitFrom: 1990 }).fitYears[0]).toBe(1990);
  });
});

describe('progress towards registry targets', () => {
  it('a past target year is judged with data up to that year: Connect 2020 target 50%, series to 2022', () => {
    // 2015 40, 2020 48.4, 2022 70: the 2022 value is after the target year and is ignored.
    // Latest = 2020, horizon 0, so Î_2020 = 48.4 (observed); API = (48.4 − 40)/(50 − 40) = 0.84
    // → acceleration needed (the target was missed).
    const a = anticipatedProgress(
      [
        { year: 2015, value: 40 },
        { year: 2020, value: 48.4 },
        { year: 2022, value: 70 },
      ],
      { target: 50, direction: 1, targetYear: 2020 },
    );
    expect(a.latest.year).toBe(2020);
    expect(a.projected).toBeCloseTo(48.4, 12);
    expect(a.api).toBeCloseTo(0.84, 12);
    expect(a.classification).toBe('acceleration-needed');
  });

  it('parity tolerance: GPS 0.90 (2015) → 0.97 (2020), target 1 ± 0.02 by 2030', () => {
    // r = (0.97/0.9)^(1/5) − 1 = 1.5122%; Î_2030 = 0.97·(0.97/0.9)^2 = 1.12676…, outside the band:
    // API = 1 − |1 − 1.12676|/0.1 = −0.2676 → regression (overshooting parity is moving away from it).
    const a = anticipatedProgress(
      [
        { year: 2015, value: 0.9 },
        { year: 2020, value: 0.97 },
      ],
      { target: 1, direction: 0, tolerance: 0.02 },
    );
    expect(a.projected).toBeCloseTo(0.97 * (0.97 / 0.9) ** 2, 12);
    expect(a.api).toBeCloseTo(1 - (0.97 * (0.97 / 0.9) ** 2 - 1) / 0.1, 12);
    expect(a.classification).toBe('regression');
    // 0.90 (2015) → 0.985 (2025), target year 2025: Î_2025 = 0.985 observed, API = 1 − 0.015/0.1 = 0.85,
    // but |1 − 0.985| ≤ 0.02 is inside the parity band → on track.
    const near = anticipatedProgress(
      [
        { year: 2015, value: 0.9 },
        { year: 2025, value: 0.985 },
      ],
      { target: 1, direction: 0, tolerance: 0.02, targetYear: 2025 },
    );
    expect(near.api).toBeCloseTo(0.85, 12);
    expect(near.classification).toBe('on-track');
    expectPontisError(
      () => anticipatedProgress(ex1, { target: 50, direction: 1, tolerance: 0.1 }),
      'invalid_input',
      'tolerance',
    );
  });

  it('progressTowards reads value, year and direction from a registry target (BB Commission T3, LDC 35% by 2025)', () => {
    const t = parseTargets(readFileSync(new URL('../../data/targets.csv', import.meta.url), 'utf8'));
    // LDC Internet use: 2015 10, 2016 11, 2017 12.1, 2018 13.31 (10% a year).
    // Î_2025 = 13.31 · 1.1^7 = 10 · 1.1^10 = 25.937…; API = (25.937 − 10)/(35 − 10) = 0.6375 → acceleration needed.
    const p = progressTowards(ex1, targetById(t, 'bbcom-2025-t3-ldc'));
    expect(p.options).toMatchObject({ target: 35, direction: 1, targetYear: 2025 });
    expect(p.anticipated.projected).toBeCloseTo(10 * 1.1 ** 10, 10);
    expect(p.anticipated.api).toBeCloseTo((10 * 1.1 ** 10 - 10) / 25, 10);
    expect(p.anticipated.classification).toBe('acceleration-needed');
    expect(p.current.csi).toBeCloseTo(3.31 / 25, 12);
    expect(p.current.expectedToDate).toBeCloseTo(0.3, 12);
    // A parity target gets ITU's band as its tolerance.
    const g = progressTowards(
      [
        { year: 2015, value: 0.9 },
        { year: 2020, value: 0.99 },
      ],
      targetById(t, 'umc-2030-gender-parity'),
    );
    expect(g.options.tolerance).toBeCloseTo(0.02, 12);
    expect(g.current.metAtBaseline).toBe(false);
  });
});
