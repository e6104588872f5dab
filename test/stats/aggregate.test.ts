import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AggregateRow, aggregate, requireKnown } from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

// Group 'g' in 2019 with four members. C has a population but no subscriptions; D's value was
// gap-filled from another year.
//   geo  subs(num)  pop(den = weight)  value = num/den×100
//   A       50         100               50
//   B       30         200               15
//   C       –          300               –
//   D       10         400                2.5   (filled)
const members = ['A', 'B', 'C', 'D'];
const rows: AggregateRow[] = [
  { geo: 'A', numerator: 50, denominator: 100, weight: 100, value: 50 },
  { geo: 'B', numerator: 30, denominator: 200, weight: 200, value: 15 },
  { geo: 'C', numerator: null, denominator: 300, weight: 300, value: null },
  { geo: 'D', numerator: 10, denominator: 400, weight: 400, value: 2.5, filled: true },
];
const input = { group: 'g', year: 2019, members, rows };

describe('aggregate: the four methods on a hand-worked group', () => {
  it('ratio of sums: Σnum/Σden × 100 = 90/700 × 100 = 12.857142857…', () => {
    const r = aggregate(input, { method: 'ratio', scale: 100 });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.value.value).toBeCloseTo((90 / 700) * 100, 12);
    expect(r.value.parts).toEqual({ n: 3, numerator: 90, denominator: 700 });
    expect(r.method.name).toBe('ratio-of-sums');
    expect(r.method.params?.scale).toBe(100);
  });

  it('coverage: 3 of 4 countries, 700 of 1000 people (0.7), 1 filled value', () => {
    const r = aggregate(input, { method: 'ratio', scale: 100 });
    expect(r.coverage).toEqual({
      members: 4,
      withData: 3,
      countShare: 0.75,
      weightCovered: 700,
      weightTotal: 1000,
      weightShare: 0.7,
      membersWithoutWeight: 0,
      filled: 1,
    });
  });

  it('weighted mean by population: (100·50 + 200·15 + 400·2.5)/700 = 9000/700, equal to the ratio of sums', () => {
    const r = aggregate(input, { method: 'wmean', weightName: 'SP.POP.TOTL' });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBeCloseTo(9000 / 700, 12);
    expect(r.value.parts.weight).toBe(700);
    expect(r.method.params?.weight).toBe('SP.POP.TOTL');
  });

  it('simple mean: (50 + 15 + 2.5)/3 = 22.5', () => {
    const r = aggregate(input, { method: 'mean' });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBe(22.5);
  });

  it('median of odd n: sorted 2.5, 15, 50 → 15', () => {
    const r = aggregate(input, { method: 'median' });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBe(15);
  });

  it('median of even n: sorted 1, 3, 7, 10 → (3 + 7)/2 = 5 (type 7)', () => {
    const r = aggregate(
      {
        group: 'e',
        members: ['P', 'Q', 'R', 'S'],
        rows: [
          { geo: 'P', value: 10 },
          { geo: 'Q', value: 1 },
          { geo: 'R', value: 7 },
          { geo: 'S', value: 3 },
        ],
      },
      { method: 'median', rule: { minWeightShare: 0 } },
    );
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBe(5);
  });
});

describe('aggregate: minimum-coverage rule', () => {
  // Only A reports: it holds 100 of the group's 1000 people, 10% < 50% → withheld.
  const sparse = {
    group: 'g',
    year: 2019,
    members,
    rows: rows.map((r) => (r.geo === 'A' ? r : { ...r, numerator: null, value: null })),
  };

  it('withholds below the default 50% of the weight, with the reason and the coverage', () => {
    const r = aggregate(sparse, { method: 'ratio', scale: 100 });
    expect(r.status).toBe('withheld');
    if (r.status !== 'withheld') return;
    expect(r.reason).toMatch(/10\.0% of the group's weight, below the minimum 50\.0%/);
    expect(r.coverage.weightShare).toBe(0.1);
    expect(r).not.toHaveProperty('value');
  });

  it('shows the value when the threshold is lowered explicitly', () => {
    const r = aggregate(sparse, { method: 'ratio', scale: 100, rule: { minWeightShare: 0.05 } });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBe(50);
  });

  it('a share exactly at the threshold is shown (rule: withhold when below)', () => {
    // A + D = 100 + 400 = 500 of 1000 = 0.5
    const half = { ...input, rows: rows.map((r) => (r.geo === 'B' ? { ...r, numerator: null } : r)) };
    const r = aggregate(half, { method: 'ratio', scale: 100 });
    expect(r.status).toBe('ok');
    expect(r.coverage.weightShare).toBe(0.5);
  });

  it('minimum number of countries and count share', () => {
    const r = aggregate(input, { method: 'mean', rule: { minCountries: 4 } });
    expect(r.status === 'withheld' && r.reason).toMatch(/only 3 countries have data; at least 4/);
    const c = aggregate(input, { method: 'mean', rule: { minCountShare: 0.8 } });
    expect(c.status === 'withheld' && c.reason).toMatch(/3 of 4 countries \(75\.0%\)/);
  });

  it('falls back to the count share when no weights are known', () => {
    const noWeights = { group: 'h', members: ['A', 'B', 'C'], rows: [{ geo: 'A', value: 1 }] };
    const r = aggregate(noWeights, { method: 'mean' });
    expect(r.status === 'withheld' && r.reason).toMatch(/no coverage weights are known; data cover 33\.3%/);
  });

  it('no data at all is withheld, not an error and not NaN', () => {
    const r = aggregate({ group: 'g', members, rows: [] }, { method: 'mean' });
    expect(r.status).toBe('withheld');
    expect(r.status === 'withheld' && r.reason).toMatch(/no member of the group \(4 countries\) has data/);
  });
});

describe('aggregate: bad input is a PontisError, never NaN', () => {
  it('an empty group', () => {
    const e = expectPontisError(
      () => aggregate({ group: 'ldc', year: 1950, members: [], rows: [] }, { method: 'mean' }),
      'invalid_input',
      'group',
    );
    expect(e.message).toBe("group 'ldc' in 1950 has no members");
  });

  it('a weight indicator with no data for any country that has a value', () => {
    const e = expectPontisError(
      () =>
        aggregate(
          {
            group: 'g',
            members: ['A', 'B'],
            rows: [
              { geo: 'A', value: 1 },
              { geo: 'B', value: 2, weight: null },
            ],
          },
          { method: 'wmean', weightName: 'POP_15_PLUS' },
        ),
      'invalid_input',
      'weight',
    );
    expect(e.message).toMatch(/weight 'POP_15_PLUS' has no data for any of the 2 countries/);
  });

  it('a row for a country outside the group, a duplicate row, an unknown method, a negative weight', () => {
    expectPontisError(
      () => aggregate({ group: 'g', members: ['A'], rows: [{ geo: 'Z', value: 1 }] }, { method: 'mean' }),
      'invalid_input',
      'geo',
    );
    expectPontisError(
      () =>
        aggregate(
          {
            group: 'g',
            members: ['A'],
            rows: [
              { geo: 'A', value: 1 },
              { geo: 'A', value: 2 },
            ],
          },
          { method: 'mean' },
        ),
      'invalid_input',
      'geo',
    );
    expectPontisError(
      () => aggregate(input, { method: 'geomean' as unknown as 'mean' }),
      'invalid_input',
      'method',
    );
    expectPontisError(
      () =>
        aggregate(
          { group: 'g', members: ['A'], rows: [{ geo: 'A', value: 1, weight: -5 }] },
          { method: 'wmean' },
        ),
      'invalid_input',
      'weight',
    );
  });

  it('an unknown indicator or group code names itself and suggests close codes', () => {
    const e = expectPontisError(
      () => requireKnown('indicator', 'IT.NET', ['IT.NET.USER.ZS', 'SP.POP.TOTL']),
      'not_found',
      'indicator',
    );
    expect(e.message).toBe("unknown indicator 'IT.NET'; did you mean 'IT.NET.USER.ZS'?");
    expect(requireKnown('group', 'ldc', ['ldc', 'lldc'])).toBe('ldc');
  });
});

describe('aggregate: properties', () => {
  const rowsArb = fc
    .array(
      fc.record({
        value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        weight: fc.double({ min: 0, max: 1e9, noNaN: true }),
      }),
      { minLength: 1, maxLength: 40 },
    )
    .filter((a) => a.some((r) => r.weight > 0));

  it('the weighted mean lies within [min, max] of the values', () => {
    fc.assert(
      fc.property(rowsArb, (arr) => {
        const ms = arr.map((_, i) => `C${i}`);
        const r = aggregate(
          { group: 'p', members: ms, rows: arr.map((x, i) => ({ geo: ms[i]!, ...x })) },
          { method: 'wmean', rule: { minWeightShare: 0 } },
        );
        if (r.status !== 'ok') return false;
        const used = arr.filter((x) => x.weight >= 0).map((x) => x.value);
        const lo = Math.min(...used);
        const hi = Math.max(...used);
        const tol = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
        return r.value.value >= lo - tol && r.value.value <= hi + tol;
      }),
    );
  });

  it('the median lies within [min, max] and the simple mean equals a wmean with equal weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (vals) => {
          const ms = vals.map((_, i) => `C${i}`);
          const base = { group: 'p', members: ms };
          const rule = { minWeightShare: 0 };
          const med = aggregate(
            { ...base, rows: vals.map((v, i) => ({ geo: ms[i]!, value: v })) },
            { method: 'median', rule },
          );
          const mean = aggregate(
            { ...base, rows: vals.map((v, i) => ({ geo: ms[i]!, value: v })) },
            { method: 'mean', rule },
          );
          const wm = aggregate(
            { ...base, rows: vals.map((v, i) => ({ geo: ms[i]!, value: v, weight: 1 })) },
            { method: 'wmean', rule },
          );
          if (med.status !== 'ok' || mean.status !== 'ok' || wm.status !== 'ok') return false;
          const tol = 1e-9 * Math.max(1, ...vals.map(Math.abs));
          return (
            med.value.value >= Math.min(...vals) &&
            med.value.value <= Math.max(...vals) &&
            Math.abs(mean.value.value - wm.value.value) <= tol
          );
        },
      ),
    );
  });
});
