import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AggregateRow, aggregate, aggregateFromSums, quantile } from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

// The same group as aggregate.test.ts, as the DuckDB pushdown would return it:
// members 4, with data 3 (A, B, D), population 1000 of which 700 covered, 1 filled value,
// Σ subscriptions 90, Σ population 700.
const sums = {
  group: 'g',
  year: 2019,
  members: 4,
  withData: 3,
  weightTotal: 1000,
  weightCovered: 700,
  filled: 1,
  sumNum: 90,
  sumDen: 700,
};

describe('aggregates from sums computed in SQL', () => {
  it('ratio of sums: 90/700 × 100, with the same coverage and method record as from rows', () => {
    const r = aggregateFromSums(sums, { method: 'ratio', scale: 100 });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.value).toBeCloseTo((90 / 700) * 100, 12);
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
    expect(r.method.name).toBe('ratio-of-sums');
  });

  it('the same withholding rule: 100 of 1000 covered → withheld with the same reason', () => {
    const r = aggregateFromSums(
      { ...sums, withData: 1, weightCovered: 100, sumNum: 50, sumDen: 100 },
      { method: 'ratio' },
    );
    expect(r.status === 'withheld' && r.reason).toBe(
      "countries with data hold 10.0% of the group's weight, below the minimum 50.0%",
    );
  });

  it('errors: empty group, more countries with data than members, a missing sum, a zero denominator', () => {
    expectPontisError(
      () => aggregateFromSums({ ...sums, members: 0, withData: 0 }, { method: 'ratio' }),
      'invalid_input',
      'group',
    );
    expectPontisError(
      () => aggregateFromSums({ ...sums, withData: 5 }, { method: 'ratio' }),
      'invalid_input',
      'withData',
    );
    expectPontisError(
      () => aggregateFromSums({ ...sums, sumNum: null }, { method: 'ratio' }),
      'invalid_input',
      'sumNum',
    );
    expectPontisError(
      () => aggregateFromSums({ ...sums, sumDen: 0 }, { method: 'ratio' }),
      'invalid_input',
      'sumDen',
    );
    expectPontisError(
      () => aggregateFromSums({ ...sums, weightCovered: 1200 }, { method: 'ratio' }),
      'invalid_input',
      'weightCovered',
    );
  });

  it('property: for every method, sums-then-rule gives exactly what rows-then-rule gives', () => {
    const row = fc.record({
      num: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
      den: fc.option(fc.double({ min: 1, max: 1e6, noNaN: true }), { nil: null }),
      value: fc.option(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { nil: null }),
      weight: fc.double({ min: 0, max: 1e6, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('ratio', 'wmean', 'mean', 'median' as const),
        (arr, method) => {
          const members = arr.map((_, i) => `C${i}`);
          const rows: AggregateRow[] = arr.map((r, i) => ({
            geo: members[i]!,
            numerator: r.num,
            denominator: r.den,
            value: r.value,
            weight: r.weight,
          }));
          const fromRows = aggregate({ group: 'p', members, rows }, { method, scale: 100 });
          const used = rows.filter((r) =>
            method === 'ratio'
              ? r.numerator != null && r.denominator != null && r.denominator > 0
              : r.value != null,
          );
          const s = {
            group: 'p',
            members: members.length,
            withData: used.length,
            weightTotal: rows.reduce((t, r) => t + r.weight!, 0),
            weightCovered: used.reduce((t, r) => t + r.weight!, 0),
            sumNum: used.reduce((t, r) => t + (r.numerator ?? 0), 0),
            sumDen: used.reduce((t, r) => t + (r.denominator ?? 0), 0),
            sumW: used.reduce((t, r) => t + r.weight!, 0),
            sumWX: used.reduce((t, r) => t + r.weight! * (r.value ?? 0), 0),
            sumX: used.reduce((t, r) => t + (r.value ?? 0), 0),
            median:
              used.length > 0 && method !== 'ratio'
                ? quantile(
                    used.map((r) => r.value!),
                    0.5,
                  )
                : null,
          };
          const fromSums = aggregateFromSums(s, { method, scale: 100 });
          if (fromRows.status !== fromSums.status) return false;
          if (fromRows.status === 'withheld' || fromSums.status === 'withheld') return true;
          const a = fromRows.value.value;
          const b = fromSums.value.value;
          return (
            Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) &&
            fromRows.coverage.withData === fromSums.coverage.withData
          );
        },
      ),
    );
  });
});
