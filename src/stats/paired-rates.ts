/**
 * Group rates for two population categories (male/female, urban/rural) computed from counts:
 *
 *   rate_A(group) = Σ rate_A,i · pop_A,i / Σ pop_A,i
 *   rate_B(group) = Σ rate_B,i · pop_B,i / Σ pop_B,i
 *
 * over the countries that have both rates and both populations, so that the two group rates
 * describe the same set of countries. Coverage is the share of the group's population (pop_A +
 * pop_B, or `weight` when given) living in those countries.
 */
import { invalid } from '../core/errors.ts';
import { type CoverageRule, coverageOf, coverageRule, withholdReason } from './coverage.ts';
import { isNumber, requireUnique } from './guards.ts';
import type { MethodInfo, StatResult } from './result.ts';

export interface PairedRow {
  geo: string;
  rateA?: number | null;
  rateB?: number | null;
  popA?: number | null;
  popB?: number | null;
  /** Coverage weight (total population); defaults to popA + popB. */
  weight?: number | null;
  filled?: boolean;
}

export interface PairedInput {
  group: string;
  year?: number;
  members: readonly string[];
  rows: readonly PairedRow[];
}

export interface PairedRates {
  rateA: number;
  rateB: number;
  popA: number;
  popB: number;
  n: number;
}

export function groupPairedRates(
  input: PairedInput,
  labels: { a: string; b: string },
  rule: Partial<CoverageRule> = {},
  method: Omit<MethodInfo, 'params'>,
): StatResult<PairedRates> {
  const r = coverageRule(rule);
  const where = input.year === undefined ? `'${input.group}'` : `'${input.group}' in ${input.year}`;
  if (input.members.length === 0) throw invalid(`group ${where} has no members`, { field: 'group' });
  requireUnique(input.members, 'members');
  requireUnique(
    input.rows.map((x) => x.geo),
    'geo',
  );
  const memberSet = new Set(input.members);
  const byGeo = new Map<string, PairedRow>();
  for (const row of input.rows) {
    if (!memberSet.has(row.geo))
      throw invalid(`'${row.geo}' is not a member of group ${where}`, { field: 'geo' });
    for (const f of ['popA', 'popB'] as const) {
      const v = row[f];
      if (isNumber(v) && v < 0) throw invalid(`negative population ${v} for '${row.geo}'`, { field: f });
    }
    byGeo.set(row.geo, row);
  }
  let sA = 0;
  let sB = 0;
  let pA = 0;
  let pB = 0;
  let n = 0;
  const members = input.members.map((geo) => {
    const row = byGeo.get(geo);
    const ok =
      !!row &&
      isNumber(row.rateA) &&
      isNumber(row.rateB) &&
      isNumber(row.popA) &&
      isNumber(row.popB) &&
      row.popA > 0 &&
      row.popB > 0;
    if (ok) {
      sA += row.rateA! * row.popA!;
      sB += row.rateB! * row.popB!;
      pA += row.popA!;
      pB += row.popB!;
      n++;
    }
    const weight = row
      ? isNumber(row.weight)
        ? row.weight
        : isNumber(row.popA) && isNumber(row.popB)
          ? row.popA + row.popB
          : null
      : null;
    return { geo, hasData: ok, weight, filled: row?.filled === true };
  });
  const coverage = coverageOf(members);
  const methodInfo: MethodInfo = {
    ...method,
    params: { a: labels.a, b: labels.b, minWeightShare: r.minWeightShare, minCountries: r.minCountries },
  };
  const reason = withholdReason(coverage, r);
  if (reason !== null) return { status: 'withheld', reason, method: methodInfo, coverage };
  return {
    status: 'ok',
    value: { rateA: sA / pA, rateB: sB / pB, popA: pA, popB: pB, n },
    method: methodInfo,
    coverage,
  };
}
