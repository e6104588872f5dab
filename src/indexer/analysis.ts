/**
 * Uncertainty and sensitivity analysis of an index, seeded and reproducible:
 * - uncertainty: `runs` points drawn uniformly over the factors (alternatives with equal probability,
 *   weight noise); each unit's median rank and 5th–95th percentile interval;
 * - sensitivity: a Saltelli design of base size N over the same factors, Jansen first- and
 *   total-order indices of the mean absolute rank shift (with bootstrap intervals) and of every
 *   unit's rank.
 * Both point sets are evaluated in one batch, spread over worker threads.
 */
import type { IndexData } from './data.ts';
import { IndexModel } from './model.ts';
import { evaluatePoints } from './parallel.ts';
import { xoshiro128ss } from './prng.ts';
import { jansen, jansenBootstrap, type SensitivityWithCi, saltelliDesign } from './sensitivity.ts';
import { type IndexSpec, UncertaintySchema, type UncertaintySpec } from './spec.ts';
import { type RankInterval, rankIntervals } from './uncertainty.ts';

export interface AnalysisOptions {
  runs?: number;
  seed?: number;
  sensitivityN?: number;
  bootstrap?: number;
  threads?: number;
  /** Skip the sensitivity analysis. */
  noSensitivity?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface UnitSensitivity {
  unit: string;
  first: number[];
  total: number[];
}

export interface AnalysisResult {
  factors: string[];
  runs: number;
  seed: number;
  intervals: RankInterval[];
  /** Mean absolute rank shift from the nominal ranks, averaged over the uncertainty runs. */
  meanAbsRankShift: number;
  sensitivity?: { n: number; evaluations: number; summary: SensitivityWithCi; units: UnitSensitivity[] };
  failures: number;
  ms: { total: number; evaluate: number };
}

export async function analyse(
  data: IndexData,
  spec: IndexSpec,
  opts: AnalysisOptions = {},
): Promise<AnalysisResult> {
  const t0 = performance.now();
  const base = spec.uncertainty ?? UncertaintySchema.parse({});
  const unc: UncertaintySpec = {
    ...base,
    ...(opts.runs !== undefined ? { runs: opts.runs } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.sensitivityN !== undefined ? { sensitivityN: opts.sensitivityN } : {}),
    ...(opts.bootstrap !== undefined ? { bootstrap: opts.bootstrap } : {}),
  };
  const model = new IndexModel(data, spec, unc);
  const k = model.factors.length;
  const rng = xoshiro128ss(unc.seed);
  const mc = new Float64Array(unc.runs * k);
  for (let t = 0; t < mc.length; t++) mc[t] = rng.next();
  const doSa = !opts.noSensitivity && k > 0;
  const design = doSa ? saltelliDesign(unc.sensitivityN, k) : undefined;
  const all = new Float64Array(mc.length + (design?.points.length ?? 0));
  all.set(mc);
  if (design) all.set(design.points, mc.length);
  const stride = model.nOutputs;
  const t1 = performance.now();
  const { outputs, failures } =
    k === 0
      ? { outputs: new Float64Array(0), failures: 0 }
      : await evaluatePoints(data, spec, unc, all, k, stride, {
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        });
  const evalMs = performance.now() - t1;
  const mcOut = outputs.subarray(0, unc.runs * stride);
  const intervals = rankIntervals(mcOut, stride, model.units, model.nominalRanks);
  let shift = 0;
  let cnt = 0;
  for (let r = 0; r < unc.runs; r++) {
    const v = mcOut[r * stride + stride - 1] as number;
    if (!Number.isNaN(v)) {
      shift += v;
      cnt++;
    }
  }
  const result: AnalysisResult = {
    factors: model.factors.map((f) => f.name),
    runs: unc.runs,
    seed: unc.seed,
    intervals,
    meanAbsRankShift: cnt ? shift / cnt : Number.NaN,
    failures,
    ms: { total: 0, evaluate: evalMs },
  };
  if (design) {
    const n = design.n;
    const rowsSa = n * (k + 2);
    const saOut = outputs.subarray(unc.runs * stride);
    const column = (c: number) => {
      const y = new Float64Array(rowsSa);
      for (let r = 0; r < rowsSa; r++) y[r] = saOut[r * stride + c] as number;
      return y;
    };
    const summary = jansenBootstrap(column(stride - 1), n, k, unc.bootstrap, xoshiro128ss(unc.seed + 2));
    const units = model.units.map((unit, i) => {
      const e = jansen(column(i), n, k);
      return { unit, first: e.first, total: e.total };
    });
    result.sensitivity = { n, evaluations: rowsSa, summary, units };
  }
  result.ms.total = performance.now() - t0;
  return result;
}
