/**
 * ITU gender gap: the difference between the male and female rates relative to the male rate,
 *
 *   gap = (rate_male − rate_female) / rate_male
 *
 * (ITU, Measuring digital development: Facts and Figures 2019, the source of the 17% world and
 * 43% LDC Internet-use gaps quoted in A/RES/75/202, para. 20). Positive: women behind men.
 * Group gaps use group rates from counts (paired-rates.ts) over countries with both sexes.
 */
import { invalid } from '../core/errors.ts';
import type { CoverageRule } from './coverage.ts';
import { requireFinite } from './guards.ts';
import { groupPairedRates, type PairedInput } from './paired-rates.ts';
import type { StatResult } from './result.ts';

export const GENDER_GAP_SOURCE = 'ITU, Measuring digital development: Facts and Figures 2019 (gender gap)';

export function genderGap(male: number, female: number): number {
  requireFinite(male, 'male');
  requireFinite(female, 'female');
  if (male <= 0)
    throw invalid(`the male rate must be greater than 0 for a gender gap, got ${male}`, { field: 'male' });
  return (male - female) / male;
}

export interface SexRow {
  geo: string;
  male?: number | null;
  female?: number | null;
  malePop?: number | null;
  femalePop?: number | null;
  /** Coverage weight (total population); defaults to malePop + femalePop. */
  weight?: number | null;
  filled?: boolean;
}

export interface SexInput {
  group: string;
  year?: number;
  members: readonly string[];
  rows: readonly SexRow[];
}

export interface GroupGender {
  male: number;
  female: number;
  /** (male − female) / male */
  gap: number;
  /** female / male */
  parity: number;
  malePop: number;
  femalePop: number;
  n: number;
}

/** Group male and female rates from counts, with the ITU gender gap and the parity score. */
export function groupGender(input: SexInput, rule: Partial<CoverageRule> = {}): StatResult<GroupGender> {
  const paired: PairedInput = {
    group: input.group,
    members: input.members,
    rows: input.rows.map((r) => ({
      geo: r.geo,
      rateA: r.male,
      rateB: r.female,
      popA: r.malePop,
      popB: r.femalePop,
      weight: r.weight,
      filled: r.filled,
    })),
  };
  if (input.year !== undefined) paired.year = input.year;
  const res = groupPairedRates(paired, { a: 'male', b: 'female' }, rule, {
    name: 'group-gender-gap',
    formula:
      'rate_s = Σ rate_s,i·pop_s,i / Σ pop_s,i over countries with both sexes; gap = (rate_M − rate_F) / rate_M; parity = rate_F / rate_M',
    source: `${GENDER_GAP_SOURCE}; ITU Facts and Figures 2023 (gender parity score)`,
  });
  if (res.status === 'withheld') return res;
  const { rateA: male, rateB: female, popA, popB, n } = res.value;
  if (male <= 0) {
    return {
      status: 'withheld',
      reason: 'the group male rate is 0: no gap can be computed',
      method: res.method,
      coverage: res.coverage,
    };
  }
  return {
    status: 'ok',
    value: {
      male,
      female,
      gap: (male - female) / male,
      parity: female / male,
      malePop: popA,
      femalePop: popB,
      n,
    },
    method: res.method,
    coverage: res.coverage,
  };
}
