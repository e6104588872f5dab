/**
 * Group aggregates of one indicator for one group and year, from the per-country rows a store
 * query returns (one row per member, LEFT JOINed so that members without data are present with
 * null values). Membership is resolved by the caller at `${year}-07-01` (core/geo.ts
 * referenceDate).
 *
 *   ratio   Σ numerator / Σ denominator × scale, over countries with both (e.g. subscriptions /
 *           population × 100). The World Bank's rule for ratios: weight by the denominator.
 *   wmean   Σ w·x / Σ w over countries with a value and a weight.
 *   mean    simple mean of the values (ESCAP's choice for regional averages).
 *   median  Hyndman–Fan type 7 median of the values (mean of the two middle values for even n).
 *
 * Coverage weight: `weight` when given, else (ratio only) the denominator.
 */
import { invalid } from '../core/errors.ts';
import { type Coverage, type CoverageRule, coverageOf, coverageRule, withholdReason } from './coverage.ts';
import { isNumber, requireFinite, requireUnique } from './guards.ts';
import { median } from './quantile.ts';
import type { MethodInfo, StatResult } from './result.ts';

export type AggregateMethod = 'ratio' | 'wmean' | 'mean' | 'median';
export const AGGREGATE_METHODS: readonly AggregateMethod[] = ['ratio', 'wmean', 'mean', 'median'];

export interface AggregateRow {
  geo: string;
  value?: number | null;
  /** Averaging weight (wmean) and coverage weight (all methods), e.g. population. */
  weight?: number | null;
  numerator?: number | null;
  denominator?: number | null;
  /** The value (or numerator/denominator) was gap-filled from another year. */
  filled?: boolean;
}

export interface AggregateInput {
  /** Group code, for messages. */
  group: string;
  /** Data year, for messages. */
  year?: number;
  /** ISO3 codes of the members for the year. Rows for non-members are an error. */
  members: readonly string[];
  rows: readonly AggregateRow[];
}

export interface AggregateOptions {
  method: AggregateMethod;
  /** Multiplier for ratio (100 for "per 100 people"). Default 1. */
  scale?: number;
  /** Minimum-coverage rule; defaults in DEFAULT_COVERAGE_RULE. */
  rule?: Partial<CoverageRule>;
  /** Name of the weight indicator, for messages and the method record. */
  weightName?: string;
}

export interface AggregateValue {
  value: number;
  /** Sums behind the value: numerator/denominator for ratio, weight for wmean, n for all. */
  parts: Record<string, number>;
}

const FORMULAS: Record<AggregateMethod, Omit<MethodInfo, 'params'>> = {
  ratio: {
    name: 'ratio-of-sums',
    formula: 'Σ numerator_i / Σ denominator_i × scale, over countries with both',
    source: 'World Bank, WDI aggregation rules (ratios weighted by the denominator)',
  },
  wmean: { name: 'weighted-mean', formula: 'Σ w_i·x_i / Σ w_i, over countries with a value and a weight' },
  mean: { name: 'simple-mean', formula: 'Σ x_i / n, over countries with a value' },
  median: {
    name: 'median',
    formula: 'Hyndman–Fan type 7 median of x_i (mean of the two middle values for even n)',
  },
};

/** The method record shared by `aggregate` and `aggregateFromSums`. */
export function aggregateMethodInfo(
  method: AggregateMethod,
  scale: number,
  rule: CoverageRule,
  weightName?: string,
): MethodInfo {
  return {
    ...FORMULAS[method],
    params: {
      scale: method === 'ratio' ? scale : null,
      weight: weightName ?? null,
      minWeightShare: rule.minWeightShare,
      minCountShare: rule.minCountShare,
      minCountries: rule.minCountries,
    },
  };
}

function groupLabel(input: AggregateInput): string {
  return input.year === undefined ? `'${input.group}'` : `'${input.group}' in ${input.year}`;
}

export function aggregate(input: AggregateInput, options: AggregateOptions): StatResult<AggregateValue> {
  const { method } = options;
  if (!AGGREGATE_METHODS.includes(method)) {
    throw invalid(`unknown method '${String(method)}'; use one of ${AGGREGATE_METHODS.join(', ')}`, {
      field: 'method',
    });
  }
  const scale = options.scale ?? 1;
  requireFinite(scale, 'scale');
  const rule = coverageRule(options.rule);
  if (input.members.length === 0) {
    throw invalid(`group ${groupLabel(input)} has no members`, { field: 'group' });
  }
  requireUnique(input.members, 'members');
  requireUnique(
    input.rows.map((r) => r.geo),
    'geo',
  );
  const memberSet = new Set(input.members);
  const byGeo = new Map<string, AggregateRow>();
  for (const r of input.rows) {
    if (!memberSet.has(r.geo)) {
      throw invalid(`'${r.geo}' is not a member of group ${groupLabel(input)}`, { field: 'geo' });
    }
    byGeo.set(r.geo, r);
  }

  const methodInfo = aggregateMethodInfo(method, scale, rule, options.weightName);

  const used: AggregateRow[] = [];
  let valuesWithoutWeight = 0;
  const members = input.members.map((geo) => {
    const r = byGeo.get(geo);
    let hasData = false;
    if (r) {
      if (method === 'ratio') {
        hasData = isNumber(r.numerator) && isNumber(r.denominator) && r.denominator > 0;
        if (isNumber(r.denominator) && r.denominator < 0) {
          throw invalid(`negative denominator ${r.denominator} for '${geo}'`, { field: 'denominator' });
        }
      } else if (method === 'wmean') {
        const hasValue = isNumber(r.value);
        const hasWeight = isNumber(r.weight) && r.weight >= 0;
        if (isNumber(r.weight) && r.weight < 0) {
          throw invalid(`negative weight ${r.weight} for '${geo}'`, { field: 'weight' });
        }
        hasData = hasValue && hasWeight;
        if (hasValue && !hasWeight) valuesWithoutWeight++;
      } else {
        hasData = isNumber(r.value);
      }
      if (hasData) used.push(r);
    }
    const weight = r ? (isNumber(r.weight) ? r.weight : method === 'ratio' ? r.denominator : null) : null;
    return { geo, hasData, weight, filled: r?.filled === true };
  });

  if (method === 'wmean' && used.length === 0 && valuesWithoutWeight > 0) {
    throw invalid(
      `weight ${options.weightName ? `'${options.weightName}' ` : ''}has no data for any of the ${valuesWithoutWeight} countries of group ${groupLabel(input)} that have a value`,
      { field: 'weight' },
    );
  }

  const coverage: Coverage = coverageOf(members);
  const reason = withholdReason(coverage, rule);
  if (reason !== null) return { status: 'withheld', reason, method: methodInfo, coverage };

  let value: number;
  const parts: Record<string, number> = { n: used.length };
  switch (method) {
    case 'ratio': {
      let num = 0;
      let den = 0;
      for (const r of used) {
        num += r.numerator!;
        den += r.denominator!;
      }
      parts.numerator = num;
      parts.denominator = den;
      value = (num / den) * scale;
      break;
    }
    case 'wmean': {
      // Weights are rescaled by the largest so that tiny weights cannot underflow w·x to 0.
      const maxW = used.reduce((m, r) => Math.max(m, r.weight!), 0);
      let sw = 0;
      let swx = 0;
      for (const r of used) {
        const w = maxW > 0 ? r.weight! / maxW : 0;
        sw += w;
        swx += w * r.value!;
      }
      if (sw <= 0) {
        return {
          status: 'withheld',
          reason: 'the weights of the countries with data sum to zero',
          method: methodInfo,
          coverage,
        };
      }
      parts.weight = sw * maxW;
      value = swx / sw;
      break;
    }
    case 'mean':
      value = used.reduce((s, r) => s + r.value!, 0) / used.length;
      break;
    case 'median':
      value = median(used.map((r) => r.value!));
      break;
  }
  return { status: 'ok', value: { value, parts }, method: methodInfo, coverage };
}
