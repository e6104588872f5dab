/**
 * What every group statistic returns: either a value, or the reason it was withheld, and in both
 * cases the method used and the coverage of the group. A number is never shown without them.
 */
import type { Coverage } from './coverage.ts';

export interface MethodInfo {
  /** Short machine name, e.g. 'ratio-of-sums'. */
  name: string;
  /** The formula in plain text. */
  formula: string;
  /** Published source of the definition, when there is one. */
  source?: string;
  /** Parameters that change the number (scale, thresholds, gap-filling window...). */
  params?: Record<string, string | number | boolean | null>;
}

export interface Ok<T> {
  status: 'ok';
  value: T;
  method: MethodInfo;
  coverage: Coverage;
}

export interface Withheld {
  status: 'withheld';
  reason: string;
  method: MethodInfo;
  coverage: Coverage;
}

export type StatResult<T> = Ok<T> | Withheld;

export function isOk<T>(r: StatResult<T>): r is Ok<T> {
  return r.status === 'ok';
}
