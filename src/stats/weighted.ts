/**
 * A country's value with its weight (usually population): the input of the inequality measures.
 * Unweighted statistics use weight 1 for every country.
 */
import { invalid } from '../core/errors.ts';
import { requireFinite, requireNonNegative } from './guards.ts';

export interface WeightedValue {
  geo: string;
  value: number;
  weight: number;
}

export interface CheckedSample {
  x: number[];
  w: number[];
  /** Σ w */
  total: number;
  /** Σ w·x / Σ w */
  mean: number;
}

/**
 * Validate a sample: at least one point, finite values (non-negative when `nonNegative`),
 * non-negative weights with a positive sum.
 */
export function checkSample(
  points: readonly WeightedValue[],
  opts: { nonNegative?: boolean; what?: string } = {},
): CheckedSample {
  const what = opts.what ?? 'values';
  if (points.length === 0)
    throw invalid(`no countries with data: ${what} of an empty set are undefined`, { field: 'values' });
  const x: number[] = [];
  const w: number[] = [];
  let total = 0;
  let swx = 0;
  for (const p of points) {
    requireFinite(p.value, `value (${p.geo})`);
    if (opts.nonNegative && p.value < 0) {
      throw invalid(`must not be negative for ${what}, got ${p.value}`, { field: `value (${p.geo})` });
    }
    requireNonNegative(p.weight, `weight (${p.geo})`);
    x.push(p.value);
    w.push(p.weight);
    total += p.weight;
    swx += p.weight * p.value;
  }
  if (total <= 0) throw invalid('weights sum to zero', { field: 'weight' });
  return { x, w, total, mean: swx / total };
}

export function unweighted(values: ReadonlyArray<{ geo: string; value: number }>): WeightedValue[] {
  return values.map((v) => ({ geo: v.geo, value: v.value, weight: 1 }));
}
