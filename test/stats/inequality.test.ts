import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  dispersion,
  gini,
  quintileRatio,
  theil,
  theilDecomposition,
  unweighted,
  type WeightedValue,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

const pts = (...xs: Array<[number, number]>): WeightedValue[] =>
  xs.map(([value, weight], i) => ({ geo: `C${i}`, value, weight }));

describe('population-weighted Gini', () => {
  it('two countries, 10 (weight 1) and 30 (weight 3): W = 4, μ = 100/4 = 25, ΣΣ w w |Δ| = 2·1·3·20 = 120, G = 120/(2·16·25) = 0.15', () => {
    expect(gini(pts([10, 1], [30, 3]))).toBeCloseTo(0.15, 15);
  });

  it('unweighted 1, 2, 3: μ = 2, ΣΣ |Δ| = 2(1 + 2 + 1) = 8, G = 8/(2·9·2) = 2/9', () => {
    expect(gini(unweighted([1, 2, 3].map((value, i) => ({ geo: `C${i}`, value }))))).toBeCloseTo(2 / 9, 15);
  });

  it('all in one of four equal countries: ΣΣ = 2·3·10 = 60, G = 60/(2·16·2.5) = 0.75 = 1 − 1/4; equal values give 0', () => {
    expect(gini(pts([0, 1], [0, 1], [0, 1], [10, 1]))).toBeCloseTo(0.75, 15);
    expect(gini(pts([7, 2], [7, 5], [7, 1]))).toBe(0);
  });

  it('errors: empty, negative value, zero mean, zero weights', () => {
    expectPontisError(() => gini([]), 'invalid_input', 'values');
    expectPontisError(() => gini(pts([-1, 1], [2, 1])), 'invalid_input', 'value (C0)');
    expectPontisError(() => gini(pts([0, 1], [0, 1])), 'invalid_input', 'values');
    expectPontisError(() => gini(pts([1, 0], [2, 0])), 'invalid_input', 'weight');
  });

  const sample = fc.array(
    fc.record({
      value: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      weight: fc.double({ min: 0.001, max: 1e9, noNaN: true }),
    }),
    { minLength: 1, maxLength: 60 },
  );
  const asPts = (a: Array<{ value: number; weight: number }>) => a.map((p, i) => ({ geo: `C${i}`, ...p }));

  it('property: G ∈ [0, 1)', () => {
    fc.assert(
      fc.property(sample, (a) => {
        const g = gini(asPts(a));
        return g >= 0 && g < 1;
      }),
    );
  });

  it('property: invariant to scaling the values and to scaling the weights; agrees with the O(n²) definition', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0.01, max: 1000, noNaN: true }), (a, k) => {
        const p = asPts(a);
        const g = gini(p);
        const gs = gini(p.map((x) => ({ ...x, value: k * x.value })));
        const gw = gini(p.map((x) => ({ ...x, weight: k * x.weight })));
        let s = 0;
        let W = 0;
        let Y = 0;
        for (const i of p) {
          W += i.weight;
          Y += i.weight * i.value;
          for (const j of p) s += i.weight * j.weight * Math.abs(i.value - j.value);
        }
        const direct = s / (2 * W * W * (Y / W));
        return Math.abs(g - gs) < 1e-9 && Math.abs(g - gw) < 1e-9 && Math.abs(g - direct) < 1e-9;
      }),
    );
  });
});

describe('Theil T and its between/within decomposition', () => {
  // A (group g1) x = 1, w = 1; B (g1) x = 3, w = 1; C (g2) x = 6, w = 2.
  // W = 4, Y = 1 + 3 + 12 = 16, μ = 4; p = (1/4, 1/4, 1/2), s = (1/16, 3/16, 12/16).
  // T = (1/16)ln(1/4) + (3/16)ln(3/4) + (3/4)ln(3/2) = 0.163515043…
  // g1: P = 1/2, S = 1/4, mean 2, T_g1 = ½[½ln½ + (3/2)ln(3/2)] = 0.130812035…; g2: P = 1/2, S = 3/4, T_g2 = 0
  // within = ¼·T_g1 = 0.032703009…; between = ¼ln(½) + ¾ln(3/2) = 0.130812035…
  const p: WeightedValue[] = [
    { geo: 'A', value: 1, weight: 1 },
    { geo: 'B', value: 3, weight: 1 },
    { geo: 'C', value: 6, weight: 2 },
  ];
  const groupOf = (g: string) => (g === 'C' ? 'g2' : 'g1');
  const T = (1 / 16) * Math.log(1 / 4) + (3 / 16) * Math.log(3 / 4) + (3 / 4) * Math.log(3 / 2);
  const Tg1 = 0.5 * (0.5 * Math.log(0.5) + 1.5 * Math.log(1.5));

  it('total, within and between on the hand-worked case; between + within = total to 1e-12', () => {
    expect(theil(p)).toBeCloseTo(T, 14);
    expect(T).toBeCloseTo(0.163515043, 8);
    const d = theilDecomposition(p, groupOf);
    expect(d.total).toBeCloseTo(T, 14);
    expect(d.within).toBeCloseTo(0.25 * Tg1, 14);
    expect(d.between).toBeCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), 14);
    expect(Math.abs(d.between + d.within - d.total)).toBeLessThan(1e-12);
    expect(d.groups.map((g) => [g.group, g.populationShare, g.outcomeShare, g.mean])).toEqual([
      ['g1', 0.5, 0.25, 2],
      ['g2', 0.5, 0.75, 6],
    ]);
  });

  it('equal values give 0; a country outside the grouping is an error', () => {
    expect(theil(pts([5, 1], [5, 9]))).toBe(0);
    expectPontisError(
      () => theilDecomposition(p, (g) => (g === 'A' ? 'g1' : undefined)),
      'invalid_input',
      'geo',
    );
  });

  it('property: between + within = total exactly (1e-12) for random populations and groupings; T ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // 0 (a country with nothing) or a normal positive number: subnormal values would make
            // Σ w·x underflow to 0, which is a different (and reported) error.
            value: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e4, noNaN: true })),
            weight: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
            group: fc.constantFrom('a', 'b', 'c', 'd'),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        (a) => {
          if (a.every((x) => x.value === 0)) return true;
          const points = a.map((x, i) => ({ geo: `C${i}`, value: x.value, weight: x.weight }));
          const d = theilDecomposition(points, (g) => a[Number(g.slice(1))]!.group);
          return Math.abs(d.between + d.within - d.total) < 1e-12 && d.total >= -1e-15 && d.within >= -1e-15;
        },
      ),
    );
  });
});

describe('coefficient of variation', () => {
  it('unweighted 2, 4: μ = 3, population sd = 1, CV = 1/3', () => {
    const d = dispersion(pts([2, 1], [4, 1]));
    expect(d).toEqual({ mean: 3, sd: 1, cv: 1 / 3, weighted: false });
  });

  it('weighted 2 (w 3), 6 (w 1): μ = 12/4 = 3, var = (3·1 + 1·9)/4 = 3, CV = √3/3', () => {
    const d = dispersion(pts([2, 3], [6, 1]));
    expect(d.weighted).toBe(true);
    expect(d.cv).toBeCloseTo(Math.sqrt(3) / 3, 15);
    expect(coefficientOfVariation(pts([2, 3], [6, 1]))).toBeCloseTo(Math.sqrt(3) / 3, 15);
  });

  it('zero mean is an error', () => {
    expectPontisError(() => dispersion(pts([-1, 1], [1, 1])), 'invalid_input', 'values');
  });
});

describe('top-to-bottom quintile ratio', () => {
  it('five equal countries 1..5: bottom fifth = 1, top fifth = 5, ratio 5', () => {
    expect(quintileRatio(unweighted([1, 2, 3, 4, 5].map((value, i) => ({ geo: `C${i}`, value }))))).toEqual({
      top: 5,
      bottom: 1,
      ratio: 5,
    });
  });

  it('population quintiles: A 1 (pop 10), B 2 (10), C 10 (80): bottom 20 people = A + B → 1.5; top 20 = in C → 10; ratio 6.667', () => {
    const q = quintileRatio(pts([10, 80], [1, 10], [2, 10]));
    expect(q.bottom).toBeCloseTo(1.5, 15);
    expect(q.top).toBe(10);
    expect(q.ratio).toBeCloseTo(10 / 1.5, 14);
  });

  it('the country at the cut contributes a fraction: A 1 (pop 0.5), B 2 (1.5), C 4 (3); bottom 1 of 5 people = 0.5·1 + 0.5·2 → 1.5', () => {
    const q = quintileRatio(pts([1, 0.5], [2, 1.5], [4, 3]));
    expect(q.bottom).toBeCloseTo(1.5, 15);
    expect(q.top).toBe(4);
    expect(q.ratio).toBeCloseTo(4 / 1.5, 14);
  });

  it('a zero bottom quintile is an error, not Infinity', () => {
    expectPontisError(
      () => quintileRatio(pts([0, 1], [0, 1], [1, 1], [2, 1], [3, 1])),
      'invalid_input',
      'values',
    );
  });

  it('property: ratio ≥ 1 and invariant to scaling the values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
            weight: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (a) => {
          const p = a.map((x, i) => ({ geo: `C${i}`, ...x }));
          const q = quintileRatio(p).ratio;
          const q2 = quintileRatio(p.map((x) => ({ ...x, value: 3 * x.value }))).ratio;
          return q >= 1 - 1e-12 && Math.abs(q - q2) < 1e-9 * q;
        },
      ),
    );
  });
});
