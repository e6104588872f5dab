/**
 * Group aggregates from sums already computed by the store (the DuckDB pushdown of aggregate.ts):
 * the query returns, per group and year, the member and coverage counts and the sums below, and
 * this function applies the same coverage rule, formula and method record as `aggregate`, so a
 * number computed in SQL and one computed here from per-country rows are presented identically.
 *
 * Expected query columns (one row per group × year):
 *   members, with_data, weight_total, weight_covered, members_without_weight, filled,
 *   and for ratio: sum_num, sum_den; wmean: sum_w, sum_wx; mean: sum_x (with n = with_data);
 *   median: median (DuckDB quantile_cont(value, 0.5), which is Hyndman–Fan type 7).
 */
import { invalid } from '../core/errors.ts';
import {
  AGGREGATE_METHODS,
  type AggregateOptions,
  type AggregateValue,
  aggregateMethodInfo,
} from './aggregate.ts';
import { type Coverage, coverageRule, withholdReason } from './coverage.ts';
import { isNumber, requireFinite } from './guards.ts';
import type { StatResult } from './result.ts';

export interface GroupSums {
  group: string;
  year?: number;
  members: number;
  withData: number;
  /** null when the query had no coverage weight */
  weightTotal: number | null;
  weightCovered: number | null;
  membersWithoutWeight?: number;
  filled?: number;
  sumNum?: number | null;
  sumDen?: number | null;
  sumW?: number | null;
  sumWX?: number | null;
  sumX?: number | null;
  median?: number | null;
}

function count(x: number, field: string): number {
  if (!Number.isInteger(x) || x < 0) throw invalid(`must be a non-negative integer, got ${x}`, { field });
  return x;
}

export function aggregateFromSums(s: GroupSums, options: AggregateOptions): StatResult<AggregateValue> {
  const { method } = options;
  if (!AGGREGATE_METHODS.includes(method)) {
    throw invalid(`unknown method '${String(method)}'; use one of ${AGGREGATE_METHODS.join(', ')}`, {
      field: 'method',
    });
  }
  const scale = options.scale ?? 1;
  requireFinite(scale, 'scale');
  const rule = coverageRule(options.rule);
  const where = s.year === undefined ? `'${s.group}'` : `'${s.group}' in ${s.year}`;
  if (count(s.members, 'members') === 0) throw invalid(`group ${where} has no members`, { field: 'group' });
  count(s.withData, 'withData');
  if (s.withData > s.members) {
    throw invalid(`${s.withData} countries with data but only ${s.members} members`, { field: 'withData' });
  }
  const hasW = isNumber(s.weightTotal) && isNumber(s.weightCovered);
  if (hasW && (s.weightCovered! < 0 || s.weightCovered! > s.weightTotal! * (1 + 1e-12))) {
    throw invalid(`covered weight ${s.weightCovered} is outside [0, ${s.weightTotal}]`, {
      field: 'weightCovered',
    });
  }
  const coverage: Coverage = {
    members: s.members,
    withData: s.withData,
    countShare: s.withData / s.members,
    weightCovered: hasW ? s.weightCovered! : null,
    weightTotal: hasW ? s.weightTotal! : null,
    weightShare: hasW && s.weightTotal! > 0 ? s.weightCovered! / s.weightTotal! : null,
    membersWithoutWeight: count(s.membersWithoutWeight ?? 0, 'membersWithoutWeight'),
    filled: count(s.filled ?? 0, 'filled'),
  };
  const methodInfo = aggregateMethodInfo(method, scale, rule, options.weightName);
  const reason = withholdReason(coverage, rule);
  if (reason !== null) return { status: 'withheld', reason, method: methodInfo, coverage };
  const need = (x: number | null | undefined, field: string): number => {
    if (!isNumber(x)) throw invalid(`the query returned no ${field} for method '${method}'`, { field });
    return x;
  };
  const parts: Record<string, number> = { n: s.withData };
  let value: number;
  switch (method) {
    case 'ratio': {
      const num = need(s.sumNum, 'sumNum');
      const den = need(s.sumDen, 'sumDen');
      if (den <= 0) throw invalid(`the sum of denominators is ${den}`, { field: 'sumDen' });
      parts.numerator = num;
      parts.denominator = den;
      value = (num / den) * scale;
      break;
    }
    case 'wmean': {
      const sw = need(s.sumW, 'sumW');
      const swx = need(s.sumWX, 'sumWX');
      if (sw <= 0) {
        return {
          status: 'withheld',
          reason: 'the weights of the countries with data sum to zero',
          method: methodInfo,
          coverage,
        };
      }
      parts.weight = sw;
      value = swx / sw;
      break;
    }
    case 'mean':
      value = need(s.sumX, 'sumX') / s.withData;
      break;
    case 'median':
      value = need(s.median, 'median');
      break;
  }
  return { status: 'ok', value: { value, parts }, method: methodInfo, coverage };
}
