/**
 * The gap between two groups' aggregates (stats/group-gap.ts): difference a − b, ratio a / b and
 * relative gap (a − b) / a, per indicator and year of an aggregate report; withheld when either
 * aggregate is, with both reasons.
 */
import { notFound } from '../core/errors.ts';
import { type GroupGapResult, groupGap } from '../stats/group-gap.ts';
import type { AggregateReport } from './aggregate.ts';

export interface GroupGapRow {
  indicator: string;
  year: number;
  gap: GroupGapResult;
}

export function gapBetweenGroups(report: AggregateReport, a: string, b: string): GroupGapRow[] {
  const find = (g: string) => {
    const code = report.results.find((r) => r.group.toUpperCase() === g.toUpperCase())?.group;
    if (!code) throw notFound(`group ${g} is not among the aggregated groups`, { field: 'between' });
    return code;
  };
  const ca = find(a);
  const cb = find(b);
  const key = (r: { indicator: string; year: number }) => `${r.indicator}\u0000${r.year}`;
  const bs = new Map(report.results.filter((r) => r.group === cb).map((r) => [key(r), r]));
  return report.results
    .filter((r) => r.group === ca && bs.has(key(r)))
    .map((r) => ({
      indicator: r.indicator,
      year: r.year,
      gap: groupGap({ group: ca, result: r.result }, { group: cb, result: bs.get(key(r))!.result }),
    }));
}
