import { describe, expect, it } from 'vitest';
import { aggregate, fillPanel, fillValue, interpolate, nearestYear } from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

// Observed: 2015 → 10, 2018 → 16.
const s = [
  { year: 2015, value: 10 },
  { year: 2018, value: 16 },
];

describe('linear interpolation between years', () => {
  it('2016 = 10 + (1/3)(16 − 10) = 12 and 2017 = 10 + (2/3)(6) = 14, flagged', () => {
    expect(interpolate(s, 2016, 3)).toEqual({
      year: 2016,
      value: 12,
      filled: true,
      how: 'linear',
      sourceYears: [2015, 2018],
    });
    expect(interpolate(s, 2017, 3)?.value).toBeCloseTo(14, 12);
  });

  it('each neighbour must be within the window: 2016 is 1 and 2 years away', () => {
    expect(interpolate(s, 2016, 2)?.value).toBe(12);
    expect(interpolate(s, 2016, 1)).toBeNull();
  });

  it('never extrapolates, and an observed year is returned unflagged', () => {
    expect(interpolate(s, 2019, 5)).toBeNull();
    expect(interpolate(s, 2014, 5)).toBeNull();
    expect(interpolate(s, 2018, 0)).toEqual({
      year: 2018,
      value: 16,
      filled: false,
      how: 'observed',
      sourceYears: [2018],
    });
  });
});

describe('nearest year within N years', () => {
  it('2016 takes 2015 (1 year away, not 2); 2017 takes 2018 (1 year away)', () => {
    expect(nearestYear(s, 2016, 3)).toEqual({
      year: 2016,
      value: 10,
      filled: true,
      how: 'nearest',
      sourceYears: [2015],
    });
    expect(nearestYear(s, 2017, 3)?.value).toBe(16);
  });

  it('on a tie the earlier year wins: 2016 between 2015 (10) and 2017 (14) → 10', () => {
    const t = [
      { year: 2017, value: 14 },
      { year: 2015, value: 10 },
    ];
    expect(nearestYear(t, 2016, 1)?.sourceYears).toEqual([2015]);
  });

  it('outside the window gives null; window 0 means observed only', () => {
    expect(nearestYear(s, 2021, 2)).toBeNull();
    expect(nearestYear(s, 2016, 0)).toBeNull();
    expect(nearestYear(s, 2020, 2)?.value).toBe(16);
  });

  it('ignores missing values and rejects two values for one year or a bad window', () => {
    expect(nearestYear([{ year: 2016, value: Number.NaN }, ...s], 2016, 3)?.sourceYears).toEqual([2015]);
    expectPontisError(() => nearestYear([...s, { year: 2015, value: 11 }], 2016, 3), 'invalid_input', 'year');
    expectPontisError(() => nearestYear(s, 2016, -1), 'invalid_input', 'window');
    expectPontisError(() => nearestYear(s, 16, 1), 'invalid_input', 'year');
  });
});

describe('filling a panel and counting filled values in an aggregate', () => {
  it('linear then nearest: interpolates where it can, falls back to the nearest year, leaves out the rest', () => {
    const panel = {
      AAA: s, // 2016: interpolated 12
      BBB: [{ year: 2014, value: 5 }], // 2016: nearest (2 years) 5
      CCC: [{ year: 2010, value: 1 }], // nothing within 2 years
      DDD: [{ year: 2016, value: 7 }], // observed
    };
    const f = fillPanel(panel, 2016, 'linear-then-nearest', 2);
    expect(f.map((x) => [x.geo, x.value, x.how])).toEqual([
      ['AAA', 12, 'linear'],
      ['BBB', 5, 'nearest'],
      ['DDD', 7, 'observed'],
    ]);
    const r = aggregate(
      {
        group: 'g',
        year: 2016,
        members: ['AAA', 'BBB', 'CCC', 'DDD'],
        rows: f.map((x) => ({ geo: x.geo, value: x.value, filled: x.filled })),
      },
      { method: 'mean', rule: { minWeightShare: 0 } },
    );
    // (12 + 5 + 7)/3 = 8; 3 of 4 countries, 2 of them filled.
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBe(8);
    expect(r.coverage.withData).toBe(3);
    expect(r.coverage.filled).toBe(2);
  });

  it("'none' keeps only observed values", () => {
    expect(fillValue(s, 2016, 'none', 5)).toBeNull();
    expect(fillValue(s, 2015, 'none', 5)?.filled).toBe(false);
    expectPontisError(() => fillValue(s, 2016, 'spline' as 'none', 2), 'invalid_input', 'fill');
  });
});
