/**
 * Analysis functions on small matrices with reference values from base R 4.2 (commands and outputs
 * quoted), and sensitivity indices on models with known analytic indices.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/indexer/analysis.ts';
import { auditIndex } from '../../src/indexer/audit.ts';
import { correlationFlag, pearson, spearman } from '../../src/indexer/correlation.ts';
import { cronbachAlpha } from '../../src/indexer/cronbach.ts';
import { describe as describeStats } from '../../src/indexer/descriptive.ts';
import { symmetricEigen } from '../../src/indexer/eigen.ts';
import { loadIndex } from '../../src/indexer/load.ts';
import { fromRows } from '../../src/indexer/matrix.ts';
import { IndexModel } from '../../src/indexer/model.ts';
import { pca } from '../../src/indexer/pca.ts';
import { runPipeline } from '../../src/indexer/pipeline.ts';
import { xoshiro128ss } from '../../src/indexer/prng.ts';
import { quantile } from '../../src/indexer/quantile.ts';
import { jansen, jansenBootstrap, saltelliDesign } from '../../src/indexer/sensitivity.ts';
import { sobolPoints } from '../../src/indexer/sobol.ts';
import { rankIntervals } from '../../src/indexer/uncertainty.ts';

// R> x <- c(2, 4, 4, 5, 7, 9); y <- c(1, 3, 2, 6, 5, 9); z <- c(10, 8, 9, 4, 5, 1)
const x = [2, 4, 4, 5, 7, 9];
const y = [1, 3, 2, 6, 5, 9];
const z = [10, 8, 9, 4, 5, 1];

describe('correlation', () => {
  it('Pearson and Spearman (with ties) as R cor()', () => {
    // R> cor(x, y)                       [1] 0.921040720226858
    expect(pearson(x, y)).toBeCloseTo(0.921040720226858, 13);
    // R> cor(x, y, method = "spearman")  [1] 0.927633657043918
    expect(spearman(x, y)).toBeCloseTo(0.927633657043918, 13);
    // R> cor(x, z, method = "spearman")  [1] -0.927633657043918
    expect(spearman(x, z)).toBeCloseTo(-0.927633657043918, 13);
    expect(pearson([1, 2, NaN, 4], [2, 4, 5, 8])).toBeCloseTo(1, 14); // pairwise complete
    expect(correlationFlag(0.95)).toBe('collinear');
    expect(correlationFlag(-0.5)).toBe('negative');
    expect(correlationFlag(0.5)).toBe('');
  });
});

describe("Cronbach's alpha", () => {
  it('matches the formula evaluated in R', () => {
    // R> M2 <- cbind(x, y, 11 - z); 3/2 * (1 - sum(apply(M2, 2, var)) / var(rowSums(M2)))
    // [1] 0.974077328646749
    expect(cronbachAlpha([x, y, z.map((v) => 11 - v)])).toBeCloseTo(0.974077328646749, 13);
    // R> M <- cbind(x, y, z); ... [1] -7.8515625  (a reversed item makes alpha negative)
    expect(cronbachAlpha([x, y, z])).toBeCloseTo(-7.8515625, 12);
  });
});

describe('symmetric eigen solver (Jacobi) and PCA', () => {
  it('eigenvalues as R eigen()', () => {
    // R> eigen(matrix(c(4, 1, 2, 1, 3, 0, 2, 0, 5), 3))$values
    // [1] 6.66907908828229 3.47602360291814 1.85489730879958
    const e = symmetricEigen([
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ]);
    expect(e.values[0]).toBeCloseTo(6.66907908828229, 12);
    expect(e.values[1]).toBeCloseTo(3.47602360291814, 12);
    expect(e.values[2]).toBeCloseTo(1.85489730879958, 12);
    // A v = λ v for the first pair
    const v = e.vectors.map((r) => r[0] as number);
    const Av = [4 * v[0]! + v[1]! + 2 * v[2]!, v[0]! + 3 * v[1]!, 2 * v[0]! + 5 * v[2]!];
    Av.forEach((a, i) => {
      expect(a).toBeCloseTo((e.values[0] as number) * (v[i] as number), 12);
    });
  });
  it('PCA on standardised data as R prcomp(scale. = TRUE)', () => {
    // R> p <- prcomp(cbind(x, y, z), scale. = TRUE); p$sdev^2
    // [1] 2.8921263982730663 0.1047378638545343 0.0031357378723987
    // R> p$rotation[, 1]   x 0.566731756687570  y 0.582729145444313  z -0.582444726142800
    const p = pca([x, y, z]);
    expect(p.eigenvalues[0]).toBeCloseTo(2.8921263982730663, 12);
    expect(p.eigenvalues[1]).toBeCloseTo(0.1047378638545343, 12);
    expect(p.eigenvalues[2]).toBeCloseTo(0.0031357378723987, 12);
    expect(p.varianceShare[0]).toBeCloseTo(2.8921263982730663 / 3, 12); // R summary(): 0.96404
    expect(p.loadings[0]).toBeCloseTo(0.56673175668757, 11);
    expect(p.loadings[1]).toBeCloseTo(0.582729145444313, 11);
    expect(p.loadings[2]).toBeCloseTo(-0.5824447261428, 11);
  });
});

describe('descriptive statistics with flags', () => {
  it('flags low availability, outliers and collinear siblings', () => {
    const big = [...new Array(20).fill(0), 1, 2, 3, 50, 50, 1000];
    const m = fromRows(
      big.map((_, i) => `u${i}`),
      ['a', 'b', 'c'],
      big.map((v, i) => [v, v * 2 + (i % 2), i < 10 ? Number.NaN : i]),
    );
    const s = describeStats(m, { parents: ['P', 'P', 'Q'] });
    expect(s[0]?.flagSkewKurt).toBe('OUT');
    expect(s[0]?.flagCollinear).toBe('COLLINEAR');
    expect(s[0]?.maxSiblingCode).toBe('b');
    expect(s[2]?.flagAvail).toBe('LOW'); // 16/26 < 0.65
    expect(s[2]?.nAvail).toBe(16);
    expect(s[0]?.flagNonZero).toBe('LOW'); // 6/26 non-zero
    expect(s[0]?.median).toBe(0);
  });
});

describe('quantiles (type 7) and rank intervals', () => {
  it('interpolates as R quantile()', () => {
    // R> quantile(c(1, 2, 3, 4, 10), c(0.05, 0.5, 0.95))   1.2  3.0  8.8
    expect(quantile([1, 2, 3, 4, 10], 0.05)).toBeCloseTo(1.2, 12);
    expect(quantile([1, 2, 3, 4, 10], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 10], 0.95)).toBeCloseTo(8.8, 12);
  });
  it('summarises ranks per unit over runs', () => {
    // 5 runs × 2 units (+1 summary column)
    const r = Float64Array.from([1, 2, 0, 2, 1, 0, 1, 2, 0, 1, 2, 0, 3, 1, 0]);
    const s = rankIntervals(r, 3, ['a', 'b'], [1, 2]);
    expect(s[0]).toMatchObject({ unit: 'a', nominal: 1, median: 1, runs: 5 });
    expect(s[0]?.mean).toBeCloseTo(8 / 5, 12);
    expect(s[0]?.q95).toBeCloseTo(2.8, 12); // sorted 1,1,1,2,3: h = (5 − 1)·0.95 = 3.8 → x[3] + 0.8·(x[4] − x[3]) = 2.8
  });
});

describe('variance-based sensitivity (Saltelli design, Jansen estimators)', () => {
  const ishigami = (u: ArrayLike<number>, a = 7, b = 0.1) => {
    const [x1, x2, x3] = [0, 1, 2].map((i) => -Math.PI + 2 * Math.PI * (u[i] as number)) as [
      number,
      number,
      number,
    ];
    return Math.sin(x1) + a * Math.sin(x2) ** 2 + b * x3 ** 4 * Math.sin(x1);
  };
  it("uses the Sobol' sequence of Joe and Kuo (first points after the origin)", () => {
    expect([...sobolPoints(4, 3)]).toEqual([
      0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.375, 0.375, 0.625,
    ]);
    // every coordinate of the first 2^m points is a distinct multiple of 2^-m (a (0, m, 1)-net per dimension)
    const p = sobolPoints(255, 10);
    for (let d = 0; d < 10; d++) {
      const v = new Set(Array.from({ length: 255 }, (_, i) => (p[i * 10 + d] as number) * 256));
      expect(v.size).toBe(255);
      expect([...v].every((x) => Number.isInteger(x) && x > 0 && x < 256)).toBe(true);
    }
  });
  it('recovers the analytic Ishigami indices (a = 7, b = 0.1) within 0.005 at N = 16384 (Sobol)', () => {
    const a = 7;
    const b = 0.1;
    const pi4 = Math.PI ** 4;
    const V1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
    const V2 = (a * a) / 8;
    const V13 = (8 * b * b * pi4 * pi4) / 225;
    const V = V1 + V2 + V13;
    const S1 = [V1 / V, V2 / V, 0];
    const ST = [(V1 + V13) / V, V2 / V, V13 / V];
    expect(S1[0]).toBeCloseTo(0.3139, 4);
    expect(ST[2]).toBeCloseTo(0.2437, 4);
    const n = 16384;
    const d = saltelliDesign(n, 3);
    const yv = new Float64Array(n * 5);
    for (let r = 0; r < n * 5; r++) yv[r] = ishigami(d.points.subarray(r * 3, r * 3 + 3));
    const e = jansenBootstrap(yv, n, 3, 100, xoshiro128ss(7));
    for (let i = 0; i < 3; i++) {
      expect(Math.abs((e.first[i] as number) - (S1[i] as number))).toBeLessThan(0.005);
      expect(Math.abs((e.total[i] as number) - (ST[i] as number))).toBeLessThan(0.005);
      const [lo, hi] = e.totalCi[i] as [number, number];
      expect(lo).toBeLessThanOrEqual(e.total[i] as number);
      expect(hi).toBeGreaterThanOrEqual(e.total[i] as number);
      expect(hi - lo).toBeLessThan(0.05);
    }
  });
  it('a linear model: S_i = ST_i = c_i² / Σ c² (pseudo-random design, N = 20000, within 0.03)', () => {
    const c = [1, 2, 3];
    const n = 20000;
    const d = saltelliDesign(n, 3, xoshiro128ss(11));
    const yv = new Float64Array(n * 5);
    for (let r = 0; r < n * 5; r++)
      yv[r] = c.reduce((s, ci, i) => s + ci * (d.points[r * 3 + i] as number), 0);
    const e = jansen(yv, n, 3);
    const tot = 1 + 4 + 9;
    c.forEach((ci, i) => {
      expect(Math.abs((e.first[i] as number) - (ci * ci) / tot)).toBeLessThan(0.03);
      expect(Math.abs((e.total[i] as number) - (ci * ci) / tot)).toBeLessThan(0.03);
    });
  });
});

describe('uncertainty and sensitivity of the ASEM index', () => {
  const { spec, data } = loadIndex(new URL('../../recipes/asem/asem.yaml', import.meta.url).pathname);
  it('is reproducible with a seed, and the same on one thread and on worker threads', async () => {
    const one = await analyse(data, spec, {
      runs: 200,
      sensitivityN: 32,
      bootstrap: 50,
      threads: 1,
      seed: 5,
    });
    const two = await analyse(data, spec, {
      runs: 200,
      sensitivityN: 32,
      bootstrap: 50,
      threads: 2,
      seed: 5,
    });
    expect(one.factors).toEqual(['imputation', 'treatment', 'normalisation', 'aggregation', 'weights']);
    expect(two.intervals).toEqual(one.intervals);
    expect(two.sensitivity?.summary).toEqual(one.sensitivity?.summary);
    expect(one.failures).toBe(0);
    const che = one.intervals.find((r) => r.unit === 'CHE');
    expect(che?.nominal).toBe(1);
    expect(che?.q05).toBeLessThanOrEqual(che?.median as number);
    expect(che?.q95).toBeGreaterThanOrEqual(che?.median as number);
    expect(one.sensitivity?.evaluations).toBe(32 * 7);
    const other = await analyse(data, spec, { runs: 200, noSensitivity: true, threads: 1, seed: 6 });
    expect(other.intervals).not.toEqual(one.intervals);
  }, 60_000);

  it('counts failed runs (a geometric mean meeting negative z-scores) and leaves them out', async () => {
    const risky = {
      ...spec,
      uncertainty: {
        runs: 40,
        seed: 9,
        weightNoise: 0,
        sensitivityN: 8,
        bootstrap: 10,
        factors: [
          {
            name: 'aggregation',
            alternatives: [
              { normalise: { method: 'zscore' as const }, aggregate: { method: 'geometric' as const } },
              { aggregate: { method: 'arithmetic' as const } },
            ],
          },
        ],
      },
    };
    const r = await analyse(data, risky, { threads: 1 });
    expect(r.failures).toBeGreaterThan(0);
    expect(r.failures).toBeLessThan(40 + 8 * 3);
    const che = r.intervals.find((x) => x.unit === 'CHE');
    expect(che?.runs).toBeLessThan(40);
    expect(che?.runs).toBeGreaterThan(0);
  });

  it('applies an alternative on top of the nominal settings, without the schema defaults', () => {
    const m = new IndexModel(data, spec);
    // factor 2 (treatment) has alternatives winmax 5, winmax 3, none: u = 0.5 picks winmax 3
    const v = m.variant([0, 0.5, 0, 0, 0.5]);
    expect(v.override.treat).toMatchObject({ method: 'winsorise-log', winmax: 3 });
    expect(m.variant([0, 0.9, 0, 0, 0.5]).override.treat).toMatchObject({ method: 'none' });
    // the weights factor: every weight within ±25 % of 1
    expect([...v.weights].every((w) => w >= 0.75 && w <= 1.25)).toBe(true);
    expect([...v.weights]).not.toEqual([...m.variant([0, 0.5, 0, 0, 0.6]).weights]);
  });

  it('audits the nominal index: alpha, PCA, correlations, effective weights, removal', () => {
    const res = runPipeline(data, spec);
    const a = auditIndex(res, data, spec);
    const political = a.aggregates.find((g) => g.code === 'Political');
    expect(political?.children).toEqual(['Embs', 'IGOs', 'UNVote']);
    expect(political?.pcaFirstShare).toBeGreaterThan(1 / 3);
    expect(a.effectiveWeights.find((w) => w.code === 'LPI')?.nominal).toBeCloseTo(1 / 2 / 5 / 8, 14);
    expect(a.effectiveWeights.filter((w) => w.level === 1).reduce((s, w) => s + w.nominal, 0)).toBeCloseTo(
      1,
      12,
    );
    const conn = a.removal.find((r) => r.code === 'Conn');
    expect(conn?.meanAbsRankChange).toBeGreaterThan(0);
    expect(a.correlations.some((c) => c.method === 'spearman' && c.relation === 'within')).toBe(true);
    expect(a.statistics.raw).toHaveLength(49);
  });
});
