import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coverageOf,
  coverageRule,
  isOk,
  median,
  quantile,
  weightedQuantile,
  withholdReason,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

describe('type 7 quantiles', () => {
  it('sorted 1, 2, 3, 4: h = 3p; Q(0.25) = 1 + 0.75·1 = 1.75, Q(0.5) = 2.5, Q(0.9) = 3 + 0.7·1 = 3.7, Q(0) = 1, Q(1) = 4', () => {
    const x = [4, 1, 3, 2];
    expect(quantile(x, 0.25)).toBeCloseTo(1.75, 15);
    expect(quantile(x, 0.5)).toBe(2.5);
    expect(quantile(x, 0.9)).toBeCloseTo(3.7, 15);
    expect(quantile(x, 0)).toBe(1);
    expect(quantile(x, 1)).toBe(4);
  });

  it('median: odd n takes the middle value, even n the mean of the two middle ones; one value is itself', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([9, 1, 5, 7])).toBe(6);
    expect(median([3])).toBe(3);
  });

  it('errors: empty set, p outside [0, 1], a non-finite value', () => {
    expectPontisError(() => median([]), 'invalid_input', 'values');
    expectPontisError(() => quantile([1, 2], 1.5), 'invalid_input', 'p');
    expectPontisError(() => median([1, Number.NaN]), 'invalid_input', 'values[1]');
  });

  it('population-weighted quantile: values 1 (w 10), 2 (w 30), 3 (w 60): cumulative shares 0.1, 0.4, 1.0 → median 3, Q(0.4) = 2, Q(0.05) = 1', () => {
    const v = [3, 1, 2];
    const w = [60, 10, 30];
    expect(weightedQuantile(v, w, 0.5)).toBe(3);
    expect(weightedQuantile(v, w, 0.4)).toBe(2);
    expect(weightedQuantile(v, w, 0.05)).toBe(1);
    expectPontisError(() => weightedQuantile(v, [1, 1], 0.5), 'invalid_input', 'weights');
    expectPontisError(() => weightedQuantile(v, [0, 0, 0], 0.5), 'invalid_input', 'weights');
  });

  it('property: quantiles are monotone in p and lie within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, p, q) => {
          const [a, b] = p <= q ? [p, q] : [q, p];
          const qa = quantile(x, a);
          const qb = quantile(x, b);
          return qa <= qb + 1e-9 && qa >= Math.min(...x) && qb <= Math.max(...x);
        },
      ),
    );
  });
});

describe('coverage rule', () => {
  it('rejects thresholds outside [0, 1] and a fractional minimum number of countries', () => {
    expectPontisError(() => coverageRule({ minWeightShare: 1.2 }), 'invalid_input', 'minWeightShare');
    expectPontisError(() => coverageRule({ minCountShare: -0.1 }), 'invalid_input', 'minCountShare');
    expectPontisError(() => coverageRule({ minCountries: 1.5 }), 'invalid_input', 'minCountries');
    expect(coverageRule()).toEqual({ minWeightShare: 0.5, minCountShare: 0, minCountries: 1 });
  });

  it('members with unknown weight count on neither side of the weight share', () => {
    // A (data, 60), B (no data, 40), C (data, weight unknown): share = 60/100; 1 member without weight.
    const c = coverageOf([
      { geo: 'A', hasData: true, weight: 60 },
      { geo: 'B', hasData: false, weight: 40 },
      { geo: 'C', hasData: true, weight: null },
    ]);
    expect(c.weightShare).toBe(0.6);
    expect(c.membersWithoutWeight).toBe(1);
    expect(c.withData).toBe(2);
    expect(withholdReason(c, coverageRule())).toBeNull();
    expect(withholdReason(c, coverageRule({ minWeightShare: 2 / 3 }))).toMatch(
      /60\.0% .* below the minimum 66\.7%/,
    );
  });

  it('isOk narrows a result', () => {
    const c = coverageOf([{ geo: 'A', hasData: true, weight: 1 }]);
    expect(isOk({ status: 'ok', value: 1, method: { name: 'x', formula: 'x' }, coverage: c })).toBe(true);
    expect(isOk({ status: 'withheld', reason: 'r', method: { name: 'x', formula: 'x' }, coverage: c })).toBe(
      false,
    );
  });
});
