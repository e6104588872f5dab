/**
 * The gap between two groups' aggregates (e.g. developed vs LDCs):
 *
 *   difference = a − b            ratio = a / b            relative = (a − b) / a
 *
 * Withheld when either aggregate was withheld, with both reasons.
 */
import { invalid } from '../core/errors.ts';
import { requireFinite } from './guards.ts';
import type { StatResult } from './result.ts';

export interface GroupGap {
  a: number;
  b: number;
  difference: number;
  /** null when b is 0 */
  ratio: number | null;
  /** null when a is 0 */
  relative: number | null;
}

export function gapBetween(a: number, b: number): GroupGap {
  requireFinite(a, 'a');
  requireFinite(b, 'b');
  return { a, b, difference: a - b, ratio: b !== 0 ? a / b : null, relative: a !== 0 ? (a - b) / a : null };
}

export type GroupGapResult =
  | { status: 'ok'; value: GroupGap; groups: [string, string] }
  | { status: 'withheld'; reason: string; groups: [string, string] };

export function groupGap(
  a: { group: string; result: StatResult<{ value: number }> | StatResult<number> },
  b: { group: string; result: StatResult<{ value: number }> | StatResult<number> },
): GroupGapResult {
  if (a.group === b.group) throw invalid(`the two groups are the same ('${a.group}')`, { field: 'groups' });
  const groups: [string, string] = [a.group, b.group];
  const reasons: string[] = [];
  if (a.result.status === 'withheld') reasons.push(`${a.group}: ${a.result.reason}`);
  if (b.result.status === 'withheld') reasons.push(`${b.group}: ${b.result.reason}`);
  if (a.result.status === 'withheld' || b.result.status === 'withheld') {
    return { status: 'withheld', reason: reasons.join('; '), groups };
  }
  const num = (v: { value: number } | number) => (typeof v === 'number' ? v : v.value);
  return { status: 'ok', value: gapBetween(num(a.result.value), num(b.result.value)), groups };
}
