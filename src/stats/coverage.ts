/**
 * Coverage of a group by the countries that contributed data, and the minimum-coverage rule.
 *
 * Coverage is reported two ways: by count (countries with data / members) and by weight (the
 * share of the group's weight, usually population, living in countries with data). The rule
 * withholds an aggregate when the covered share of the weight is below a threshold (default 0.5:
 * see docs/methodology.md section 3.2 for why).
 */
import { invalid } from '../core/errors.ts';
import { isNumber, requireShare } from './guards.ts';

export interface Coverage {
  /** Countries in the group for the data year. */
  members: number;
  /** Countries whose data entered the statistic. */
  withData: number;
  /** withData / members. */
  countShare: number;
  /** Sum of the coverage weight over countries with data (null when no weights were given). */
  weightCovered: number | null;
  /** Sum of the coverage weight over all members with a known weight. */
  weightTotal: number | null;
  /** weightCovered / weightTotal. */
  weightShare: number | null;
  /** Members whose coverage weight is unknown (their share cannot be counted either way). */
  membersWithoutWeight: number;
  /** Values among withData that were gap-filled (nearest year or interpolation). */
  filled: number;
}

export interface CoverageRule {
  /** Withhold when weightShare is below this (0 disables). Default 0.5. */
  minWeightShare: number;
  /** Withhold when countShare is below this (0 disables). Default 0. */
  minCountShare: number;
  /** Withhold when fewer countries than this have data. Default 1. */
  minCountries: number;
}

export const DEFAULT_COVERAGE_RULE: Readonly<CoverageRule> = Object.freeze({
  minWeightShare: 0.5,
  minCountShare: 0,
  minCountries: 1,
});

export function coverageRule(partial: Partial<CoverageRule> = {}): CoverageRule {
  const rule = { ...DEFAULT_COVERAGE_RULE, ...partial };
  requireShare(rule.minWeightShare, 'minWeightShare');
  requireShare(rule.minCountShare, 'minCountShare');
  if (!Number.isInteger(rule.minCountries) || rule.minCountries < 0) {
    throw invalid(`must be a non-negative integer, got ${rule.minCountries}`, { field: 'minCountries' });
  }
  return rule;
}

/** One member of the group as the statistic saw it. */
export interface MemberCoverage {
  geo: string;
  /** Did this member's data enter the statistic? */
  hasData: boolean;
  /** Coverage weight (e.g. population); null or undefined when unknown. */
  weight?: number | null;
  /** Was the value gap-filled? */
  filled?: boolean;
}

export function coverageOf(members: readonly MemberCoverage[]): Coverage {
  let withData = 0;
  let filled = 0;
  let covered = 0;
  let total = 0;
  let anyWeight = false;
  let withoutWeight = 0;
  for (const m of members) {
    const w = m.weight;
    const hasW = isNumber(w) && w >= 0;
    if (m.hasData) {
      withData++;
      if (m.filled) filled++;
    }
    if (hasW) {
      anyWeight = true;
      total += w;
      if (m.hasData) covered += w;
    } else {
      withoutWeight++;
    }
  }
  const n = members.length;
  return {
    members: n,
    withData,
    countShare: n === 0 ? 0 : withData / n,
    weightCovered: anyWeight ? covered : null,
    weightTotal: anyWeight ? total : null,
    weightShare: anyWeight && total > 0 ? covered / total : null,
    membersWithoutWeight: withoutWeight,
    filled,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Why the statistic must be withheld under the rule, or null when it may be shown. When no
 * coverage weights are known the weight rule falls back to the count share, and says so.
 */
export function withholdReason(c: Coverage, rule: CoverageRule): string | null {
  if (c.withData === 0) return `no member of the group (${c.members} countries) has data`;
  if (c.withData < rule.minCountries) {
    return `only ${c.withData} countries have data; at least ${rule.minCountries} are required`;
  }
  if (c.countShare < rule.minCountShare) {
    return `data cover ${c.withData} of ${c.members} countries (${pct(c.countShare)}), below the minimum ${pct(rule.minCountShare)}`;
  }
  if (rule.minWeightShare > 0) {
    if (c.weightShare === null) {
      if (c.countShare < rule.minWeightShare) {
        return `no coverage weights are known; data cover ${pct(c.countShare)} of the countries, below the minimum ${pct(rule.minWeightShare)}`;
      }
    } else if (c.weightShare < rule.minWeightShare) {
      return `countries with data hold ${pct(c.weightShare)} of the group's weight, below the minimum ${pct(rule.minWeightShare)}`;
    }
  }
  return null;
}
