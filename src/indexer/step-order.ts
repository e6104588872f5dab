/**
 * The order of the pipeline steps, merging of partial step settings, and the uncertainty defaults.
 * Kept free of the schema library (types only from spec.ts) so that worker threads load little.
 */
import type { PartialSteps, StepName, Steps } from './spec.ts';

export const STEP_ORDER: readonly StepName[] = [
  'denominate',
  'impute',
  'screen',
  'treat',
  'normalise',
  'aggregate',
];

/** Steps with a partial override applied (one level deep: step → field). */
export function mergeSteps(base: Steps, over: PartialSteps | undefined): Steps {
  if (!over) return base;
  const out: Record<string, unknown> = { ...base };
  for (const k of STEP_ORDER) {
    const o = over[k];
    if (o) out[k] = { ...base[k], ...o };
  }
  return out as Steps;
}

/** Defaults of the uncertainty settings (the schema in spec.ts uses the same numbers). */
export const DEFAULT_UNCERTAINTY = {
  runs: 1000,
  seed: 1,
  weightNoise: 0.25,
  sensitivityN: 500,
  bootstrap: 200,
} as const;
