/**
 * The index as a model for uncertainty and sensitivity analysis: a point u ∈ [0,1)^k (one coordinate
 * per uncertain factor) is mapped to a variant of the index and evaluated to ranks.
 * - a "choice" factor picks one of its alternatives: index ⌊u·m⌋ of m;
 * - the "weights" factor seeds a generator that multiplies every weight by U(1 − noise, 1 + noise).
 * Runs share a stage cache, so each run recomputes only from the first step its settings change.
 */
import type { IndexData } from './data.ts';
import { PipelineCache, type PipelineResult, runPipeline } from './pipeline.ts';
import { xoshiro128ss } from './prng.ts';
import type { IndexSpec, PartialSteps, Steps, UncertaintySpec } from './spec.ts';
import { DEFAULT_UNCERTAINTY, STEP_ORDER } from './step-order.ts';
import { type CompiledTree, compileTree } from './tree.ts';

export interface FactorInfo {
  name: string;
  kind: 'choice' | 'weights';
  /** Number of alternatives (choice factors). */
  levels: number;
}

export class IndexModel {
  readonly tree: CompiledTree;
  readonly factors: FactorInfo[];
  readonly unc: UncertaintySpec;
  readonly nominal: PipelineResult;
  /** All units of the data, the alignment of every output. */
  readonly units: readonly string[];
  readonly nominalRanks: Float64Array;
  private readonly cache = new PipelineCache(1024);
  /** Outputs per run: one rank per unit, then the mean absolute rank shift. */
  readonly nOutputs: number;
  failures = 0;

  constructor(
    readonly data: IndexData,
    readonly spec: IndexSpec,
    unc?: UncertaintySpec,
  ) {
    this.tree = compileTree(spec);
    this.unc = unc ?? spec.uncertainty ?? { ...DEFAULT_UNCERTAINTY, factors: [] };
    this.factors = this.unc.factors.map((f) => ({
      name: f.name,
      kind: 'choice' as const,
      levels: f.alternatives.length,
    }));
    if (this.unc.weightNoise > 0) this.factors.push({ name: 'weights', kind: 'weights', levels: 0 });
    this.nominal = runPipeline(data, spec, { cache: this.cache, tree: this.tree, contributions: false });
    this.units = data.values.rows;
    this.nominalRanks = this.align(this.nominal);
    this.nOutputs = this.units.length + 1;
  }

  private align(r: PipelineResult): Float64Array {
    const out = new Float64Array(this.units.length).fill(Number.NaN);
    const pos = new Map(r.units.map((u, i) => [u, i]));
    this.units.forEach((u, i) => {
      const k = pos.get(u);
      if (k !== undefined) out[i] = r.ranks[k] as number;
    });
    return out;
  }

  /** Full step settings per combination of choices, built once (their identity keys the stage cache). */
  private readonly stepsByChoice = new Map<string, Steps>();

  /** The settings of the index at point u. */
  variant(u: ArrayLike<number>): { override: PartialSteps; steps: Steps; weights: Float64Array } {
    let key = '';
    let weights = this.tree.weight;
    this.factors.forEach((f, j) => {
      const x = u[j] as number;
      if (f.kind === 'choice') key += `${Math.min(f.levels - 1, Math.floor(x * f.levels))},`;
      else {
        const rng = xoshiro128ss(Math.floor(x * 4294967296) >>> 0);
        const noise = this.unc.weightNoise;
        const w0 = this.tree.weight;
        weights = new Float64Array(w0.length);
        for (let i = 0; i < w0.length; i++)
          weights[i] = (w0[i] as number) * (1 + noise * (2 * rng.next() - 1));
      }
    });
    let steps = this.stepsByChoice.get(key);
    if (!steps) {
      const override: Record<string, Record<string, unknown>> = {};
      for (const k of STEP_ORDER) override[k] = { ...this.spec.steps[k] };
      this.factors.forEach((f, j) => {
        if (f.kind !== 'choice') return;
        const alt =
          this.unc.factors[j]?.alternatives[Math.min(f.levels - 1, Math.floor((u[j] as number) * f.levels))];
        if (!alt) return;
        for (const k of STEP_ORDER) {
          const o = alt[k];
          if (o) override[k] = { ...override[k], ...o };
        }
      });
      steps = override as Steps;
      this.stepsByChoice.set(key, steps);
    }
    return { override: steps, steps, weights };
  }

  /** Evaluate at u: writes nOutputs values into out (ranks aligned with `units`, then the mean |rank shift|). */
  evaluate(u: ArrayLike<number>, out: Float64Array = new Float64Array(this.nOutputs)): Float64Array {
    const v = this.variant(u);
    let ranks: Float64Array;
    try {
      const r = runPipeline(this.data, this.spec, {
        cache: this.cache,
        steps: v.steps,
        weights: v.weights,
        tree: this.tree,
        contributions: false,
      });
      ranks = this.align(r);
    } catch {
      this.failures++;
      ranks = new Float64Array(this.units.length).fill(Number.NaN);
    }
    let s = 0;
    let c = 0;
    for (let i = 0; i < ranks.length; i++) {
      out[i] = ranks[i] as number;
      const d = Math.abs((ranks[i] as number) - (this.nominalRanks[i] as number));
      if (!Number.isNaN(d)) {
        s += d;
        c++;
      }
    }
    out[ranks.length] = c ? s / c : Number.NaN;
    return out;
  }

  /** Evaluate many points: `points` is row-major (rows × k); returns rows × nOutputs, row-major. */
  evaluateMany(points: Float64Array, k: number, onProgress?: (done: number) => void): Float64Array {
    const rows = points.length / k;
    const out = new Float64Array(rows * this.nOutputs);
    for (let r = 0; r < rows; r++) {
      this.evaluate(
        points.subarray(r * k, (r + 1) * k),
        out.subarray(r * this.nOutputs, (r + 1) * this.nOutputs),
      );
      if (onProgress && (r + 1) % 256 === 0) onProgress(r + 1);
    }
    onProgress?.(rows);
    return out;
  }
}
