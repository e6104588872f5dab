/**
 * The index specification: an indicator tree plus the method and parameters of every step.
 * Parsed from JSON or YAML and validated with errors that name the field, e.g.
 * `spec.tree[3].weight: expected a number ≥ 0, got "x"`.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import { DEFAULT_UNCERTAINTY } from './step-order.ts';

export { mergeSteps, STEP_ORDER } from './step-order.ts';

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

const num = (what = 'a number') =>
  z.number({ error: (iss) => `expected ${what}, got ${show(iss.input)}` }).refine(Number.isFinite, {
    error: (iss) => `expected ${what}, got ${show(iss.input)}`,
  });
const nonNeg = () =>
  z
    .number({ error: (iss) => `expected a number ≥ 0, got ${show(iss.input)}` })
    .min(0, { error: (iss) => `expected a number ≥ 0, got ${show(iss.input)}` });
const str = (what = 'a string') =>
  z
    .string({ error: (iss) => `expected ${what}, got ${show(iss.input)}` })
    .min(1, { error: `expected ${what}` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => `expected one of ${values.join(', ')}, got ${show(iss.input)}` });

export const AGGREGATION_METHODS = ['arithmetic', 'geometric', 'harmonic', 'copeland'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];
export const NORMALISATION_METHODS = [
  'minmax',
  'goalposts',
  'zscore',
  'rank',
  'percentile-rank',
  'distance-to-target',
  'none',
] as const;
export type NormalisationMethod = (typeof NORMALISATION_METHODS)[number];
export const IMPUTATION_METHODS = [
  'none',
  'indicator-mean',
  'indicator-median',
  'group-mean',
  'group-median',
  'nearest-year',
] as const;
export type ImputationMethod = (typeof IMPUTATION_METHODS)[number];

const direction = z.union([z.literal(1), z.literal(-1)], {
  error: (iss) => `expected 1 or -1, got ${show(iss.input)}`,
});
const pair = z.tuple([num(), num()], { error: (iss) => `expected [lower, upper], got ${show(iss.input)}` });
/**
 * Goalposts of an indicator: `[lower, upper]`, or `observed`, a provisional rule for an indicator whose
 * published goalposts are not known: the lowest and highest value of the column in this build (so the
 * indicator is min-max normalised, and its scores depend on the units in the build).
 */
const goalposts = z.union([pair, z.literal('observed')], {
  error: (iss) => `expected [lower, upper] or "observed", got ${show(iss.input)}`,
});

export const NodeSchema = z.object({
  code: str('a code'),
  name: z.string().optional(),
  parent: z.string().nullable().optional(),
  weight: nonNeg().default(1),
  direction: direction.default(1),
  denominator: z.string().nullable().optional(),
  /** Multiplier applied after dividing by the denominator (e.g. 100 for "per 100 inhabitants"). */
  denominatorScale: num().default(1),
  target: num().nullable().optional(),
  goalposts: goalposts.optional(),
  unit: z.string().optional(),
  /** Aggregation method of this aggregate's children (overrides the step's method for this node). */
  aggregation: oneOf(AGGREGATION_METHODS).optional(),
  /** Free text: where the indicator comes from (e.g. a store code). */
  source: z.string().optional(),
});
export type NodeSpec = z.infer<typeof NodeSchema>;

export const DenominateSchema = z.object({ enabled: z.boolean().default(true) });
export const ImputeSchema = z.object({
  method: oneOf(IMPUTATION_METHODS).default('none'),
  group: z.string().optional(),
  /** nearest-year: largest distance in years to borrow a value from. */
  window: nonNeg().default(2),
  /** nearest-year: the year of the index (default: the latest year of the panel). */
  year: num().optional(),
});
export const ScreenSchema = z.object({
  minShare: z
    .number({ error: (iss) => `expected a share between 0 and 1, got ${show(iss.input)}` })
    .min(0, { error: (iss) => `expected a share between 0 and 1, got ${show(iss.input)}` })
    .max(1, { error: (iss) => `expected a share between 0 and 1, got ${show(iss.input)}` })
    .default(0),
  /** Count availability in the denominated data (before imputation) or in the imputed data. */
  basis: oneOf(['denominated', 'imputed'] as const).default('denominated'),
});
export const TreatSchema = z.object({
  method: oneOf(['none', 'winsorise-log'] as const).default('none'),
  winmax: nonNeg().default(5),
  skewThreshold: nonNeg().default(2),
  kurtThreshold: num().default(3.5),
  /** Indicators left untreated. */
  exclude: z.array(z.string()).default([]),
});
export const NormaliseSchema = z.object({
  method: oneOf(NORMALISATION_METHODS).default('minmax'),
  range: pair.default([0, 100]),
  /** z-score: mean and standard deviation of the output. */
  zMean: num().default(0),
  zSd: num().default(1),
  /** goalposts: clip scores to the range (values beyond a goalpost get the goalpost's score). */
  truncate: z.boolean().default(true),
  /** distance-to-target: cap scores at the target. */
  cap: z.boolean().default(true),
});
export const AggregateSchema = z.object({
  method: oneOf(AGGREGATION_METHODS).default('arithmetic'),
  /** Method per level (level 2 = the first aggregate level), overriding `method`. */
  byLevel: z.record(z.string(), oneOf(AGGREGATION_METHODS)).default({}),
});

export const StepsSchema = z.object({
  denominate: DenominateSchema.default({ enabled: true }),
  impute: ImputeSchema.default({ method: 'none', window: 2 }),
  screen: ScreenSchema.default({ minShare: 0, basis: 'denominated' }),
  treat: TreatSchema.default({
    method: 'none',
    winmax: 5,
    skewThreshold: 2,
    kurtThreshold: 3.5,
    exclude: [],
  }),
  normalise: NormaliseSchema.default({
    method: 'minmax',
    range: [0, 100],
    zMean: 0,
    zSd: 1,
    truncate: true,
    cap: true,
  }),
  aggregate: AggregateSchema.default({ method: 'arithmetic', byLevel: {} }),
});
export type Steps = z.infer<typeof StepsSchema>;
export type StepName = keyof Steps;

/** A partial override of the steps, used by uncertainty alternatives. */
const PartialStepsSchema = z.object({
  denominate: DenominateSchema.partial().optional(),
  impute: ImputeSchema.partial().optional(),
  screen: ScreenSchema.partial().optional(),
  treat: TreatSchema.partial().optional(),
  normalise: NormaliseSchema.partial().optional(),
  aggregate: AggregateSchema.partial().optional(),
});
export type PartialSteps = z.infer<typeof PartialStepsSchema>;

export const FactorSchema = z.object({
  name: str('a factor name'),
  /** Alternative settings; one is drawn with equal probability in each run. */
  alternatives: z.array(PartialStepsSchema).min(1, { error: 'expected at least one alternative' }),
});
export const UncertaintySchema = z.object({
  runs: z.number().int().min(1).default(DEFAULT_UNCERTAINTY.runs),
  seed: z.number().int().default(DEFAULT_UNCERTAINTY.seed),
  /** Multiplicative uniform noise on each weight: w · U(1 − noise, 1 + noise). 0 = weights fixed. */
  weightNoise: z.number().min(0).max(1).default(DEFAULT_UNCERTAINTY.weightNoise),
  factors: z.array(FactorSchema).default([]),
  /** Sensitivity analysis: base sample size N (cost N · (k + 2) runs) and bootstrap replicates. */
  sensitivityN: z.number().int().min(2).default(DEFAULT_UNCERTAINTY.sensitivityN),
  bootstrap: z.number().int().min(0).default(DEFAULT_UNCERTAINTY.bootstrap),
});
export type UncertaintySpec = z.infer<typeof UncertaintySchema>;

export const SpecSchema = z.object({
  name: str('a name'),
  description: z.string().optional(),
  /** Column names of the unit code and unit name in the data table. */
  units: z.object({ id: z.string().default('uCode'), name: z.string().optional() }).default({ id: 'uCode' }),
  groups: z.array(z.string()).default([]),
  denominators: z.array(z.string()).default([]),
  /** Files the loader reads (relative to the spec); the engine never reads them. */
  inputs: z.object({ data: z.string().optional(), meta: z.string().optional() }).optional(),
  tree: z.array(NodeSchema).default([]),
  steps: StepsSchema.default(StepsSchema.parse({})),
  uncertainty: UncertaintySchema.optional(),
  references: z.array(z.string()).default([]),
  /**
   * What the scores are compared with when indicators have no data (e.g. "ITU's published IDI"):
   * named in the statement of the consequence printed by a build.
   */
  comparableWith: z.string().optional(),
});
export type IndexSpec = z.infer<typeof SpecSchema>;
export type IndexSpecInput = z.input<typeof SpecSchema>;

function pathString(path: readonly PropertyKey[]): string {
  let s = 'spec';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return s;
}

/** Validate a parsed object as a spec; throws a PontisError naming the first bad field. */
export function validateSpec(raw: unknown, file?: string): IndexSpec {
  const r = SpecSchema.safeParse(raw, { reportInput: true });
  if (!r.success) {
    const iss = r.error.issues[0];
    const field = iss ? pathString(iss.path) : 'spec';
    const all = r.error.issues.map((i) => `${pathString(i.path)}: ${i.message}`);
    throw invalid(iss?.message ?? 'invalid spec', { ...(file ? { file } : {}), field }, all);
  }
  const spec = r.data;
  // Partial step settings (uncertainty alternatives) must not pick up the schema's defaults: an
  // alternative `{ treat: { winmax: 3 } }` changes winmax only. The validated input is used as given.
  const rawFactors = (raw as { uncertainty?: { factors?: { alternatives?: PartialSteps[] }[] } }).uncertainty
    ?.factors;
  spec.uncertainty?.factors.forEach((f, i) => {
    const alts = rawFactors?.[i]?.alternatives;
    if (alts) f.alternatives = structuredClone(alts);
  });
  if (spec.tree.length > 0) checkTree(spec, file);
  return spec;
}

/** Parse JSON or YAML text (YAML is a superset of JSON) into a validated spec. */
export function parseSpec(text: string, file?: string): IndexSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw invalid(`not valid JSON or YAML: ${(e as Error).message}`, file ? { file } : {});
  }
  return validateSpec(raw, file);
}

function fail(message: string, field: string, file?: string): never {
  throw invalid(message, { ...(file ? { file } : {}), field });
}

/** Semantic checks the schema cannot express: unique codes, parents, one root, no cycles, step needs. */
export function checkTree(spec: IndexSpec, file?: string): void {
  const codes = new Map<string, number>();
  spec.tree.forEach((n, i) => {
    if (codes.has(n.code))
      fail(`duplicate code "${n.code}" (also at tree[${codes.get(n.code)}])`, `spec.tree[${i}].code`, file);
    codes.set(n.code, i);
  });
  const roots: number[] = [];
  const children = new Map<string, number>();
  spec.tree.forEach((n, i) => {
    if (n.parent === undefined || n.parent === null || n.parent === '') roots.push(i);
    else if (!codes.has(n.parent))
      fail(`parent "${n.parent}" is not a code in the tree`, `spec.tree[${i}].parent`, file);
    else children.set(n.parent, (children.get(n.parent) ?? 0) + 1);
  });
  if (roots.length !== 1) {
    const list = roots.map((i) => spec.tree[i]?.code).join(', ');
    fail(
      `expected exactly one root (a node without parent), found ${roots.length}: ${list}`,
      'spec.tree',
      file,
    );
  }
  // cycles: walking up from every node must reach the root within tree.length steps
  spec.tree.forEach((n, i) => {
    let cur: string | null | undefined = n.parent;
    let steps = 0;
    while (cur) {
      if (++steps > spec.tree.length)
        fail(`the parents of "${n.code}" form a cycle`, `spec.tree[${i}].parent`, file);
      cur = spec.tree[codes.get(cur) as number]?.parent;
    }
  });
  const s = spec.steps;
  spec.tree.forEach((n, i) => {
    const isLeaf = !children.has(n.code);
    if (!isLeaf) return;
    if (n.denominator && s.denominate.enabled && !spec.denominators.includes(n.denominator)) {
      fail(
        `denominator "${n.denominator}" is not listed in spec.denominators`,
        `spec.tree[${i}].denominator`,
        file,
      );
    }
    if (s.normalise.method === 'goalposts') {
      if (!n.goalposts) {
        const missing = spec.tree.filter((m) => !children.has(m.code) && !m.goalposts).map((m) => m.code);
        fail(
          `goalposts normalisation needs [lower, upper] (or "observed") goalposts on every indicator; missing for ${missing.join(', ')}`,
          `spec.tree[${i}].goalposts`,
          file,
        );
      }
      if (n.goalposts !== 'observed' && n.goalposts[0] >= n.goalposts[1])
        fail(`expected lower < upper, got ${show(n.goalposts)}`, `spec.tree[${i}].goalposts`, file);
    }
    if (s.normalise.method === 'distance-to-target' && (n.target === undefined || n.target === null)) {
      fail(
        'distance-to-target normalisation needs a target on every indicator',
        `spec.tree[${i}].target`,
        file,
      );
    }
  });
  if ((s.impute.method === 'group-mean' || s.impute.method === 'group-median') && !s.impute.group) {
    fail(`imputation "${s.impute.method}" needs a grouping column`, 'spec.steps.impute.group', file);
  }
  if (s.impute.group && !spec.groups.includes(s.impute.group)) {
    fail(`group "${s.impute.group}" is not listed in spec.groups`, 'spec.steps.impute.group', file);
  }
}
