/**
 * The index pipeline: pure, logged steps, each keeping its output data set
 *   raw → denominated → imputed → screened → treated → normalised → aggregated,
 * like COINr's coin. A cache keyed by the settings of every step up to a stage lets a run with one
 * setting changed regenerate only from the first changed step (earlier stages are reused as they are).
 */
import { aggregate, contributions } from './aggregate.ts';
import type { IndexData } from './data.ts';
import { denominate } from './denominate.ts';
import { type ImputeReport, impute } from './impute.ts';
import type { Matrix } from './matrix.ts';
import { normalise } from './normalise.ts';
import { rankDescending } from './rank.ts';
import { type ScreenRow, screen } from './screen.ts';
import type { IndexSpec, PartialSteps, StepName, Steps } from './spec.ts';
import { mergeSteps, STEP_ORDER } from './step-order.ts';
import { type TreatRow, treat } from './treat.ts';
import { type CompiledTree, compileTree } from './tree.ts';

export interface StageSet {
  raw: Matrix;
  denominated: Matrix;
  imputed: Matrix;
  screened: Matrix;
  treated: Matrix;
  normalised: Matrix;
  aggregated: Matrix;
}
export type StageName = keyof StageSet;
export const STAGE_NAMES: readonly StageName[] = [
  'raw',
  'denominated',
  'imputed',
  'screened',
  'treated',
  'normalised',
  'aggregated',
];

export interface StepLog {
  step: StepName;
  params: unknown;
  /** True when the stage was taken from the cache. */
  reused: boolean;
  ms: number;
}

export interface PipelineReports {
  denominators: Record<string, string>;
  impute: ImputeReport;
  screen: ScreenRow[];
  treat: TreatRow[];
}

export interface PipelineResult {
  steps: Steps;
  tree: CompiledTree;
  stages: StageSet;
  reports: PipelineReports;
  /** Units kept after screening (rows of every stage from `screened` on). */
  units: readonly string[];
  /** Index score per unit. */
  scores: Float64Array;
  /** Rank per unit, 1 = best, ties share the lowest rank. */
  ranks: Float64Array;
  weights: Float64Array;
  contributions?: Matrix;
  log: StepLog[];
  cache: PipelineCache;
}

interface CacheEntry {
  matrix: Matrix;
  extra?: unknown;
}

interface TrieNode {
  entry?: CacheEntry;
  next?: Map<string, TrieNode>;
}

/**
 * Stage cache: a trie keyed by the settings (JSON) of each step in order, so a stage is found by the
 * settings of all steps up to it. A cache belongs to one data set (it is emptied when used with
 * another) and holds at most `capacity` stages (it is emptied when full: Monte Carlo designs have few
 * distinct prefixes, so this is rare).
 */
export class PipelineCache {
  private root: TrieNode = {};
  private count = 0;
  private data: unknown;
  constructor(readonly capacity = 256) {}
  /** Empties the cache if `data` is not the data set it was filled from. */
  bind(data: unknown): void {
    if (this.data !== data) {
      this.root = {};
      this.count = 0;
      this.data = data;
    }
  }
  node(parent: TrieNode | undefined, key: string): TrieNode {
    const p = parent ?? this.root;
    p.next ??= new Map();
    let n = p.next.get(key);
    if (!n) {
      n = {};
      p.next.set(key, n);
    }
    return n;
  }
  get(n: TrieNode): CacheEntry | undefined {
    return n.entry;
  }
  set(n: TrieNode, e: CacheEntry): void {
    if (this.count >= this.capacity) {
      this.root = {};
      this.count = 0;
      return; // n is detached from the new root; the entry is simply not kept
    }
    n.entry = e;
    this.count++;
  }
  get size(): number {
    return this.count;
  }
}

export interface RunOptions {
  cache?: PipelineCache;
  /** Settings overriding the spec's steps. */
  override?: PartialSteps;
  /** Complete step settings, used as they are (instead of the spec's steps and `override`). */
  steps?: Steps;
  /** Weights per node in tree.all order (default: the spec's). */
  weights?: Float64Array;
  /** Compute indicator contributions (default true). */
  contributions?: boolean;
  /** A compiled tree, to skip recompiling it (Monte Carlo). */
  tree?: CompiledTree;
}

/** JSON of a step's settings, memoised per settings object (Monte Carlo reuses the same objects). */
const keyMemo = new WeakMap<object, string>();
function settingsKey(o: object): string {
  let k = keyMemo.get(o);
  if (k === undefined) {
    k = JSON.stringify(o);
    keyMemo.set(o, k);
  }
  return k;
}

export function runPipeline(data: IndexData, spec: IndexSpec, opts: RunOptions = {}): PipelineResult {
  const steps = opts.steps ?? mergeSteps(spec.steps, opts.override);
  const tree = opts.tree ?? compileTree(spec);
  const cache = opts.cache ?? new PipelineCache();
  cache.bind(data.values);
  const log: StepLog[] = [];
  let node: TrieNode | undefined;
  const stage = <T>(
    step: StepName,
    compute: () => { matrix: Matrix; extra?: T },
  ): { matrix: Matrix; extra?: T } => {
    node = cache.node(node, settingsKey(steps[step]));
    const t0 = performance.now();
    const hit = cache.get(node);
    if (hit) {
      log.push({ step, params: steps[step], reused: true, ms: performance.now() - t0 });
      return hit as { matrix: Matrix; extra?: T };
    }
    const r = compute();
    cache.set(node, r);
    log.push({ step, params: steps[step], reused: false, ms: performance.now() - t0 });
    return r;
  };

  const raw = data.values;
  const den = stage('denominate', () => {
    const r = denominate(raw, tree, steps.denominate);
    return { matrix: r.matrix, extra: r.applied };
  });
  const imp = stage('impute', () => {
    const g = steps.impute.group ? data.groups?.[steps.impute.group] : undefined;
    const r = impute(den.matrix, {
      method: steps.impute.method,
      ...(g ? { groups: g } : {}),
      ...(data.panel ? { panel: data.panel } : {}),
      window: steps.impute.window,
      ...(steps.impute.year !== undefined ? { year: steps.impute.year } : {}),
    });
    return { matrix: r.matrix, extra: r.report };
  });
  const scr = stage('screen', () => {
    const basis = steps.screen.basis === 'imputed' ? imp.matrix : den.matrix;
    const r = screen(imp.matrix, basis, steps.screen.minShare);
    return { matrix: r.matrix, extra: r.report };
  });
  const trt = stage('treat', () => {
    const r = treat(scr.matrix, steps.treat);
    return { matrix: r.matrix, extra: r.report };
  });
  const metas = tree.indicators.map((_, j) => {
    const node = tree.nodes[j];
    return { direction: tree.direction[j] as number, goalposts: node?.goalposts, target: node?.target };
  });
  const nrm = stage('normalise', () => ({ matrix: normalise(trt.matrix, metas, steps.normalise) }));

  // aggregation depends on the weights too; it is cheap and never cached
  const t0 = performance.now();
  const weights = opts.weights ?? tree.weight;
  const agg = aggregate(nrm.matrix, tree, { ...steps.aggregate, weights });
  log.push({ step: 'aggregate', params: steps.aggregate, reused: false, ms: performance.now() - t0 });
  const n = agg.rows.length;
  const rootPos = tree.all.length - 1;
  const scores = agg.data.slice(rootPos * n, (rootPos + 1) * n);
  const result: PipelineResult = {
    steps,
    tree,
    stages: {
      raw,
      denominated: den.matrix,
      imputed: imp.matrix,
      screened: scr.matrix,
      treated: trt.matrix,
      normalised: nrm.matrix,
      aggregated: agg,
    },
    reports: {
      denominators: (den.extra as Record<string, string>) ?? {},
      impute: imp.extra as ImputeReport,
      screen: scr.extra as ScreenRow[],
      treat: trt.extra as TreatRow[],
    },
    units: agg.rows,
    scores,
    ranks: rankDescending(scores),
    weights,
    log,
    cache,
  };
  if (opts.contributions ?? true)
    result.contributions = contributions(agg, tree, { ...steps.aggregate, weights });
  return result;
}

/**
 * Regenerate an index with some settings changed, reusing every stage before the first changed step.
 * (`log[k].reused` tells which stages were taken from the cache.)
 */
export function regenerate(
  prev: PipelineResult,
  data: IndexData,
  spec: IndexSpec,
  change: { steps?: PartialSteps; weights?: Float64Array } = {},
): PipelineResult {
  const merged: PartialSteps = {};
  for (const k of STEP_ORDER) {
    const cur = prev.steps[k];
    const over = change.steps?.[k];
    (merged as Record<string, unknown>)[k] = over ? { ...cur, ...over } : cur;
  }
  return runPipeline(data, spec, {
    cache: prev.cache,
    override: merged,
    weights: change.weights ?? prev.weights,
    tree: prev.tree,
  });
}
