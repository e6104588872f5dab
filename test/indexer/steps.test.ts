/** Each pipeline step against small hand-worked cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { aggregate } from '../../src/indexer/aggregate.ts';
import { metaFromCoinr } from '../../src/indexer/coinr.ts';
import { copeland } from '../../src/indexer/copeland.ts';
import { denominate } from '../../src/indexer/denominate.ts';
import { impute } from '../../src/indexer/impute.ts';
import { fromRows, makeMatrix, toRows } from '../../src/indexer/matrix.ts';
import { weightedMean } from '../../src/indexer/mean.ts';
import { kurtosis, skewness } from '../../src/indexer/moments.ts';
import { normaliseColumn } from '../../src/indexer/normalise.ts';
import { PipelineCache, runPipeline } from '../../src/indexer/pipeline.ts';
import { rankDescending } from '../../src/indexer/rank.ts';
import { screen } from '../../src/indexer/screen.ts';
import { parseSpec, validateSpec } from '../../src/indexer/spec.ts';
import { treat } from '../../src/indexer/treat.ts';
import { compileTree, effectiveWeights } from '../../src/indexer/tree.ts';
import { failsSkewKurt, logShift, winsorise } from '../../src/indexer/winsorise.ts';

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('skewness and kurtosis (sample-adjusted, as COINr / Excel SKEW, KURT)', () => {
  it('match the type-2 formulas on 1..10, 30, 100', () => {
    // R (formulas of e1071 type 2, as COINr): x <- c(1:10, 30, 100); n <- 12; d <- x - mean(x)
    //   g1 <- sqrt(n)*sum(d^3)/sum(d^2)^1.5; g1*sqrt(n*(n-1))/(n-2)            → 3.06324103424
    //   r <- n*sum(d^4)/sum(d^2)^2; ((n+1)*(r-3)+6)*(n-1)/((n-2)*(n-3))         → 9.74139083457
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100];
    const n = x.length;
    const m = x.reduce((s, v) => s + v, 0) / n;
    const d2 = x.reduce((s, v) => s + (v - m) ** 2, 0);
    const d3 = x.reduce((s, v) => s + (v - m) ** 3, 0);
    const d4 = x.reduce((s, v) => s + (v - m) ** 4, 0);
    const g1 = (Math.sqrt(n) * d3) / d2 ** 1.5;
    expect(skewness(x)).toBeCloseTo((g1 * Math.sqrt(n * (n - 1))) / (n - 2), 12);
    const r = (n * d4) / d2 ** 2;
    expect(kurtosis(x)).toBeCloseTo((((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3)), 12);
    expect(skewness(x)).toBeCloseTo(3.06324103424, 10);
    expect(kurtosis(x)).toBeCloseTo(9.74139083457, 9);
    expect(failsSkewKurt(x)).toBe(true);
    expect(failsSkewKurt([1, 2, 3, 4, 5])).toBe(false);
  });
});

describe('winsorisation', () => {
  it('moves one point, then a tie of three together (20 zeros, 1, 2, 3, 50, 50, 1000)', () => {
    // step 0: skew 5.06, kurt 25.7 → fails; 1000 → 50 (1 point)
    // step 1: skew 2.55, kurt 4.89 → fails; the three 50s (tied) → 3 (3 points)
    // step 2: skew 1.65, kurt 0.99 → passes
    const x = [...new Array(20).fill(0), 1, 2, 3, 50, 50, 1000];
    const w = winsorise(x, { winmax: 5 });
    expect(w.passes).toBe(true);
    expect(w.changed).toEqual([23, 24, 25]);
    expect(w.side).toBe('high');
    expect(arr(w.x).slice(20)).toEqual([1, 2, 3, 3, 3, 3]);
    // winmax 2: the second step moves a tie of three and overshoots (as COINr counts)
    expect(winsorise(x, { winmax: 2 }).changed).toHaveLength(3);
    // winmax 1: one point, still failing
    const w1 = winsorise(x, { winmax: 1 });
    expect(w1.passes).toBe(false);
    expect(arr(w1.x).slice(20)).toEqual([1, 2, 3, 50, 50, 50]);
  });

  it('treats low outliers on the side of a negative skew', () => {
    const x = [...new Array(20).fill(0), -1, -2, -3, -50, -50, -1000];
    const w = winsorise(x);
    expect(w.side).toBe('low');
    expect(arr(w.x).slice(20)).toEqual([-1, -2, -3, -3, -3, -3]);
  });

  it('falls back to log(x − min + 0.01·(max − min)) of the untreated column', () => {
    const z = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 30, 50, 80, 150, 300, 1000, 10000];
    const m = fromRows(
      z.map((_, i) => `u${i}`),
      ['z'],
      z.map((v) => [v]),
    );
    // winmax 1: 10000 → 1000, still failing (skew 2.64, kurt 5.94) → log of the original
    const { matrix, report } = treat(m, { method: 'winsorise-log', winmax: 1 });
    const a = 0.01 * (10000 - 1);
    expect(report[0]?.action).toBe('log');
    expect(report[0]?.points).toBe(0);
    expect(matrix.data[0]).toBeCloseTo(Math.log(1 - 1 + a), 12); // ln(99.99) = 4.60507
    expect(matrix.data[19]).toBeCloseTo(Math.log(10000 - 1 + a), 12); // ln(10098.99) = 9.22019
    expect(matrix.data[0]).toBeCloseTo(4.60507, 5);
    expect(arr(logShift([1, 2, NaN]))[2]).toBeNaN();
    // with winmax 2 the second step passes: winsorised instead
    const t2 = treat(m, { method: 'winsorise-log', winmax: 2 });
    expect(t2.report[0]?.action).toBe('winsorised');
    expect(t2.report[0]?.units).toEqual(['u18', 'u19']);
    expect(arr(t2.matrix.data).slice(17)).toEqual([300, 300, 300]);
  });

  it('leaves missing values alone and passing columns untouched', () => {
    const x = [NaN, ...new Array(20).fill(0), 1, 2, 3, 50, 50, 1000];
    const w = winsorise(x);
    expect(w.x[0]).toBeNaN();
    expect(w.changed).toEqual([24, 25, 26]);
    const m = fromRows(['a', 'b', 'c', 'd'], ['x'], [[1], [2], [3], [4]]);
    expect(treat(m, { method: 'winsorise-log' }).report[0]?.action).toBe('none');
  });
});

describe('normalisation', () => {
  const pos = { direction: 1 };
  const neg = { direction: -1 };
  it('min-max to [0,100] and to another range; negative direction reversed first', () => {
    expect(arr(normaliseColumn([2, 4, 6], pos))).toEqual([0, 50, 100]);
    expect(arr(normaliseColumn([2, 4, 6], pos, { range: [1, 10] }))).toEqual([1, 5.5, 10]);
    expect(arr(normaliseColumn([2, 4, 6], neg))).toEqual([100, 50, 0]);
    expect(arr(normaliseColumn([2, NaN, 6], pos))[1]).toBeNaN();
    expect(arr(normaliseColumn([3, 3], pos))).toEqual([50, 50]);
  });
  it('z-score (sample sd) with an optional mean and sd', () => {
    // mean 4, sd = sqrt(((−2)² + 0 + 2²)/2) = 2
    expect(arr(normaliseColumn([2, 4, 6], pos, { method: 'zscore' }))).toEqual([-1, 0, 1]);
    expect(arr(normaliseColumn([2, 4, 6], pos, { method: 'zscore', zMean: 10, zSd: 2 }))).toEqual([
      8, 10, 12,
    ]);
    expect(arr(normaliseColumn([2, 4, 6], neg, { method: 'zscore' })).map((v) => v + 0)).toEqual([1, 0, -1]);
  });
  it('goalposts with truncation (IDI), and for a negative indicator such as a price', () => {
    const gp = { direction: 1, goalposts: [0, 50] as [number, number] };
    expect(arr(normaliseColumn([-10, 25, 60], gp, { method: 'goalposts' }))).toEqual([0, 50, 100]);
    expect(arr(normaliseColumn([-10, 25, 60], gp, { method: 'goalposts', truncate: false }))).toEqual([
      -20, 50, 120,
    ]);
    const price = { direction: -1, goalposts: [0, 10] as [number, number] };
    // (10 − 2)/10 · 100 = 80; 12 is beyond the upper goalpost → 0
    expect(arr(normaliseColumn([2, 12, 0], price, { method: 'goalposts' }))).toEqual([80, 0, 100]);
  });
  it('goalposts `observed` (provisional rule): the column range, i.e. min-max; constant → midpoint', () => {
    const obs = { direction: 1, goalposts: 'observed' as const };
    // range [2, 10]: (6 − 2)/8 · 100 = 50
    expect(arr(normaliseColumn([2, 6, Number.NaN, 10], obs, { method: 'goalposts' }))).toEqual([
      0,
      50,
      Number.NaN,
      100,
    ]);
    const price = { direction: -1, goalposts: 'observed' as const };
    // reversed: (10 − 4)/8 · 100 = 75
    expect(arr(normaliseColumn([2, 4, 10], price, { method: 'goalposts' }))).toEqual([100, 75, 0]);
    expect(arr(normaliseColumn([3, Number.NaN], obs, { method: 'goalposts' }))).toEqual([50, Number.NaN]);
    expect(arr(normaliseColumn([Number.NaN], obs, { method: 'goalposts' }))).toEqual([Number.NaN]);
  });
  it('rank and percentile rank with ties', () => {
    expect(arr(normaliseColumn([10, 20, 20, 30], pos, { method: 'rank' }))).toEqual([1, 2, 2, 4]);
    // average ranks 1, 2.5, 2.5, 4, 5 → (r − 1)/4 · 100
    expect(arr(normaliseColumn([10, 20, 20, 30, 40], pos, { method: 'percentile-rank' }))).toEqual([
      0, 37.5, 37.5, 75, 100,
    ]);
    expect(arr(normaliseColumn([10, 20, 20, 30, 40], neg, { method: 'percentile-rank' }))).toEqual([
      100, 62.5, 62.5, 25, 0,
    ]);
  });
  it('distance to target, capped at the target', () => {
    const t = { direction: 1, target: 10 };
    expect(arr(normaliseColumn([0, 5, 12], t, { method: 'distance-to-target' }))).toEqual([0, 50, 100]);
    expect(arr(normaliseColumn([0, 5, 12], t, { method: 'distance-to-target', cap: false }))).toEqual([
      0, 50, 120,
    ]);
  });
});

describe('weighted means', () => {
  it('arithmetic skips missing values and rescales the weights', () => {
    expect(weightedMean('arithmetic', [10, NaN, 30], [1, 5, 3])).toBe(25);
    expect(weightedMean('arithmetic', [NaN, NaN], [1, 1])).toBeNaN();
  });
  it('geometric: (2·8²·4)^(1/4) = 2^(9/4); a zero gives 0; a negative value is an error', () => {
    expect(weightedMean('geometric', [2, 8, 4], [1, 2, 1])).toBeCloseTo(2 ** (9 / 4), 12);
    expect(weightedMean('geometric', [2, NaN, 8], [1, 1, 1])).toBeCloseTo(4, 12);
    expect(weightedMean('geometric', [0, 8], [1, 1])).toBe(0);
    expect(weightedMean('geometric', [0, 8], [0, 1])).toBeCloseTo(8, 12); // zero weight ignored
    expect(() => weightedMean('geometric', [-1, 8], [1, 1])).toThrow(/≥ 0/);
  });
  it('harmonic: 3 / (1 + 1/2 + 1/4) = 12/7; a zero gives 0', () => {
    expect(weightedMean('harmonic', [1, 2, 4], [1, 1, 1])).toBeCloseTo(12 / 7, 12);
    expect(weightedMean('harmonic', [0, 2], [1, 1])).toBe(0);
  });
});

describe('Copeland outranking', () => {
  it('scores wins − losses with ties as draws, and ranks ties together', () => {
    // U1 [5,5,1], U2 [5,3,2], U3 [1,1,1], U4 [2,3,2], equal weights
    // U1–U2: tie, win, loss → 0.5 → draw; U1 beats U3 (2.5/3) and U4 (2/3); U2 beats U3 (3/3) and U4 (2/3);
    // U4 beats U3. Scores: U1 2, U2 2, U3 −3, U4 −1.
    const cols = [
      [5, 5, 1, 2],
      [5, 3, 1, 3],
      [1, 2, 1, 2],
    ];
    const s = copeland(cols, [1, 1, 1], 4);
    expect(arr(s)).toEqual([2, 2, -3, -1]);
    expect(arr(rankDescending(s))).toEqual([1, 1, 4, 3]);
    // unequal weights break the U1–U2 draw in favour of U1 (indicator 2 now weighs 2 of 4)
    expect(arr(copeland(cols, [1, 2, 1], 4))).toEqual([3, 1, -3, -1]);
  });
});

describe('ranks', () => {
  it('1 = best, ties share the lowest rank, missing stays missing', () => {
    expect(arr(rankDescending([50, 70, 70, 10, NaN]))).toEqual([3, 1, 1, 4, NaN]);
  });
});

describe('denomination, imputation, screening', () => {
  const tree = compileTree(
    validateSpec({
      name: 't',
      denominators: ['pop'],
      tree: [
        { code: 'I', parent: null },
        { code: 'a', parent: 'I', denominator: 'pop' },
        { code: 'b', parent: 'I' },
      ],
    }),
  );
  it('divides by the denominator column; a zero denominator gives a missing value', () => {
    const v = fromRows(
      ['u', 'v', 'w'],
      ['a', 'b', 'pop'],
      [
        [10, 1, 4],
        [6, 2, 0],
        [NaN, 3, 2],
      ],
    );
    const { matrix, applied } = denominate(v, tree);
    expect(toRows(matrix)).toEqual([
      [2.5, 1],
      [NaN, 2],
      [NaN, 3],
    ]);
    expect(applied).toEqual({ a: 'pop' });
  });
  const m = fromRows(['p', 'q', 'r', 's', 't'], ['x'], [[1], [NaN], [3], [10], [NaN]]);
  it('indicator mean and median', () => {
    expect(arr(impute(m, { method: 'indicator-mean' }).matrix.data)).toEqual([1, 14 / 3, 3, 10, 14 / 3]);
    expect(arr(impute(m, { method: 'indicator-median' }).matrix.data)).toEqual([1, 3, 3, 10, 3]);
    expect(impute(m, { method: 'none' }).report.remaining).toBe(2);
  });
  it('group mean and median; a group with no value stays missing', () => {
    const groups = ['A', 'A', 'A', 'B', 'C'];
    const r = impute(m, { method: 'group-mean', groups });
    expect(arr(r.matrix.data).slice(0, 4)).toEqual([1, 2, 3, 10]);
    expect(r.matrix.data[4]).toBeNaN();
    expect(r.report.cells).toEqual([{ unit: 'q', indicator: 'x', value: 2 }]);
    expect(impute(m, { method: 'group-median', groups }).matrix.data[1]).toBe(2);
  });
  it('nearest year within the window, the earlier year on ties', () => {
    const years = [2018, 2019, 2020, 2021, 2022];
    const slice = (vals: number[]) =>
      fromRows(
        ['p', 'q'],
        ['x'],
        vals.map((v) => [v]),
      );
    const panel = {
      years,
      slices: [slice([1, 5]), slice([2, NaN]), slice([NaN, NaN]), slice([4, NaN]), slice([NaN, NaN])],
    };
    const target = slice([NaN, NaN]);
    // for 2020: p has 2019 and 2021 at distance 1 → the earlier (2); q has 2018 at distance 2
    const r = impute(target, { method: 'nearest-year', panel, year: 2020, window: 2 });
    expect(arr(r.matrix.data)).toEqual([2, 5]);
    expect(r.report.cells.map((c) => c.from)).toEqual([2019, 2018]);
    // window 1: q has nothing near enough
    expect(impute(target, { method: 'nearest-year', panel, year: 2020, window: 1 }).matrix.data[1]).toBeNaN();
  });
  it('screens units below the minimum share of available indicators, with a report', () => {
    const d = fromRows(
      ['u', 'v'],
      ['a', 'b', 'c', 'd'],
      [
        [1, 2, 3, NaN],
        [1, NaN, NaN, 4],
      ],
    );
    const r = screen(d, d, 0.75);
    expect(r.matrix.rows).toEqual(['u']);
    expect(r.report).toEqual([
      { unit: 'u', available: 3, total: 4, share: 0.75, kept: true },
      { unit: 'v', available: 2, total: 4, share: 0.5, kept: false },
    ]);
  });
});

describe('aggregation over a tree', () => {
  const spec = validateSpec({
    name: 't',
    tree: [
      { code: 'I', parent: null },
      { code: 'P1', parent: 'I', weight: 3 },
      { code: 'P2', parent: 'I', weight: 1 },
      { code: 'a', parent: 'P1' },
      { code: 'b', parent: 'P1' },
      { code: 'c', parent: 'P2' },
    ],
  });
  const t = compileTree(spec);
  it('aggregates children before parents, by level, with per-level methods', () => {
    expect(t.all).toEqual(['a', 'b', 'c', 'P1', 'P2', 'I']);
    expect(arr(t.level)).toEqual([1, 1, 1, 2, 2, 3]);
    const m = fromRows(['u'], ['a', 'b', 'c'], [[20, 80, 10]]);
    const r = aggregate(m, t);
    expect(toRows(r)[0]).toEqual([20, 80, 10, 50, 10, (3 * 50 + 10) / 4]);
    const g = aggregate(m, t, { byLevel: { '2': 'geometric' } });
    expect(toRows(g)[0]?.[3]).toBeCloseTo(40, 12); // √(20·80)
    expect(arr(effectiveWeights(t)).slice(0, 3)).toEqual([0.375, 0.375, 0.25]);
  });
  it('gives 0 for a zero child in geometric and harmonic aggregates, and skips missing children', () => {
    const m = fromRows(
      ['u', 'v'],
      ['a', 'b', 'c'],
      [
        [0, 80, 10],
        [Number.NaN, 80, 10],
      ],
    );
    const g = toRows(aggregate(m, t, { method: 'geometric' }));
    expect(g[0]?.[3]).toBe(0); // P1 = geometric(0, 80)
    expect(g[0]?.[5]).toBe(0); // the index inherits the zero
    expect(g[1]?.[3]).toBeCloseTo(80, 12); // a missing: P1 = b
    expect(toRows(aggregate(m, t, { method: 'harmonic' }))[0]?.[3]).toBe(0);
  });
  it('agrees with the scalar weightedMean for every unit (property test)', () => {
    const cell = fc.oneof(
      fc.constant(Number.NaN),
      fc.constant(0),
      fc.double({ min: 0.01, max: 100, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 6 }),
        fc.tuple(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })),
        fc.constantFrom('arithmetic' as const, 'geometric' as const, 'harmonic' as const),
        (rows, [wa, wb], method) => {
          const units = rows.map((_, i) => `u${i}`);
          const m = fromRows(units, ['a', 'b', 'c'], rows);
          const w = Float64Array.from([wa, wb, 1, 3, 1, 1]);
          const out = toRows(aggregate(m, t, { method, weights: w }));
          rows.forEach((r, i) => {
            const p1 = weightedMean(method, [r[0], r[1]], [wa, wb]);
            const got = out[i]?.[3] as number;
            if (Number.isNaN(p1)) expect(got).toBeNaN();
            else expect(got).toBeCloseTo(p1, 10);
          });
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
  it('refuses negative values in a geometric mean with a clear error', () => {
    const m = fromRows(['u'], ['a', 'b', 'c'], [[-1, 80, 10]]);
    expect(() => aggregate(m, t, { method: 'geometric' })).toThrow(PontisError);
  });
  it('never reuses cached stages across data sets', () => {
    const cache = new PipelineCache();
    const d1 = {
      values: fromRows(
        ['u', 'v'],
        ['a', 'b', 'c'],
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ),
    };
    const d2 = {
      values: fromRows(
        ['u', 'v'],
        ['a', 'b', 'c'],
        [
          [6, 5, 4],
          [3, 2, 1],
        ],
      ),
    };
    const r1 = runPipeline(d1, spec, { cache });
    const r2 = runPipeline(d2, spec, { cache });
    expect(r2.log.some((l) => l.reused)).toBe(false);
    expect([...r2.ranks]).toEqual([1, 2]);
    expect([...r1.ranks]).toEqual([2, 1]);
    expect(runPipeline(d2, spec, { cache }).log.filter((l) => l.reused)).toHaveLength(5);
  });
  it('keeps makeMatrix honest about sizes', () => {
    expect(() => makeMatrix(['a'], ['x', 'y'], new Float64Array(3))).toThrow(RangeError);
  });
});

describe('spec validation', () => {
  const good = {
    name: 'x',
    tree: [
      { code: 'I' },
      { code: 'a', parent: 'I' },
      { code: 'b', parent: 'I' },
      { code: 'c', parent: 'I', weight: 2 },
    ],
  };
  const errorOf = (raw: unknown): PontisError => {
    try {
      validateSpec(raw);
    } catch (e) {
      return e as PontisError;
    }
    throw new Error('expected an error');
  };
  it('names the field and the bad value', () => {
    const bad = structuredClone(good) as { tree: Record<string, unknown>[] };
    (bad.tree[3] as Record<string, unknown>).weight = 'x';
    const e = errorOf(bad);
    expect(e).toBeInstanceOf(PontisError);
    expect(e.toString()).toBe('spec.tree[3].weight: expected a number ≥ 0, got "x"');
    (bad.tree[3] as Record<string, unknown>).weight = -1;
    expect(errorOf(bad).toString()).toBe('spec.tree[3].weight: expected a number ≥ 0, got -1');
  });
  it('checks directions, methods, parents, roots and cycles', () => {
    expect(
      errorOf({ ...good, tree: [{ code: 'I' }, { code: 'a', parent: 'I', direction: 2 }] }).toString(),
    ).toBe('spec.tree[1].direction: expected 1 or -1, got 2');
    expect(errorOf({ ...good, steps: { normalise: { method: 'minmux' } } }).toString()).toMatch(
      /^spec\.steps\.normalise\.method: expected one of minmax, goalposts/,
    );
    expect(errorOf({ ...good, tree: [{ code: 'I' }, { code: 'a', parent: 'J' }] }).toString()).toBe(
      'spec.tree[1].parent: parent "J" is not a code in the tree',
    );
    expect(errorOf({ ...good, tree: [{ code: 'I' }, { code: 'a' }] }).location.field).toBe('spec.tree');
    expect(
      errorOf({ ...good, tree: [{ code: 'I' }, { code: 'a', parent: 'b' }, { code: 'b', parent: 'a' }] })
        .message,
    ).toMatch(/cycle/);
    expect(errorOf({ ...good, steps: { normalise: { method: 'goalposts' } } }).location.field).toBe(
      'spec.tree[1].goalposts',
    );
    const gpTree = (g: unknown) => ({
      ...good,
      steps: { normalise: { method: 'goalposts' } },
      tree: [{ code: 'I' }, { code: 'a', parent: 'I', goalposts: g }],
    });
    expect(validateSpec(gpTree('observed')).tree[1]?.goalposts).toBe('observed');
    expect(errorOf(gpTree('seen')).toString()).toBe(
      'spec.tree[1].goalposts: expected [lower, upper] or "observed", got "seen"',
    );
    expect(errorOf(gpTree([5, 1])).toString()).toBe(
      'spec.tree[1].goalposts: expected lower < upper, got [5,1]',
    );
    expect(errorOf({ ...good, steps: { impute: { method: 'group-mean' } } }).location.field).toBe(
      'spec.steps.impute.group',
    );
  });
  it('reads YAML and JSON alike, filling defaults', () => {
    const y = parseSpec('name: y\ntree:\n  - {code: I}\n  - {code: a, parent: I}\n');
    const j = parseSpec(JSON.stringify({ name: 'y', tree: [{ code: 'I' }, { code: 'a', parent: 'I' }] }));
    expect(y).toEqual(j);
    expect(y.steps.normalise).toMatchObject({ method: 'minmax', range: [0, 100] });
    expect(y.tree[1]).toMatchObject({ weight: 1, direction: 1 });
    expect(() => parseSpec('name: [unclosed', 'x.yaml')).toThrow(/not valid JSON or YAML/);
  });
  it('takes COINr iMeta rows as they are', () => {
    const meta = metaFromCoinr([
      {
        Level: '1',
        iCode: 'a',
        Direction: '-1',
        Weight: '1',
        Parent: 'P',
        Type: 'Indicator',
        Denominator: 'pop',
        Target: '3',
      },
      { Level: '2', iCode: 'P', Direction: '1', Weight: '1', Parent: '', Type: 'Aggregate' },
      { Level: '', iCode: 'grp', Type: 'Group' },
      { Level: '', iCode: 'pop', Type: 'Denominator' },
    ]);
    expect(meta.groups).toEqual(['grp']);
    expect(meta.denominators).toEqual(['pop']);
    expect(meta.tree[0]).toMatchObject({
      code: 'a',
      parent: 'P',
      direction: -1,
      denominator: 'pop',
      target: 3,
    });
    expect(() =>
      metaFromCoinr([{ iCode: 'a', Weight: 'x', Direction: '1', Type: 'Indicator' }], 'm.csv'),
    ).toThrow(expect.objectContaining({ location: { file: 'm.csv', line: 2, field: 'Weight' } }));
  });
});
