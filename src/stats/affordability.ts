/**
 * Affordability of ICT services, as ITU expresses prices: a monthly price as a percentage of
 * monthly GNI per capita (World Bank Atlas method):
 *
 *   share = price_month / (GNI_pc_year / 12) × 100 = price_month × 12 / GNI_pc_year × 100
 *
 * (ITU, ICT Price Basket methodology). The Broadband Commission 2025 Advocacy Target 2: entry-level
 * broadband below 2% of monthly GNI per capita ("less than", so exactly 2% does not meet it).
 */
import { invalid } from '../core/errors.ts';
import { type CoverageRule, coverageOf, coverageRule, withholdReason } from './coverage.ts';
import { isNumber, requireNonNegative, requirePositive, requireUnique } from './guards.ts';
import { median } from './quantile.ts';
import type { MethodInfo, StatResult } from './result.ts';

export const AFFORDABILITY_TARGET_PERCENT = 2;
export const AFFORDABILITY_SOURCE =
  'ITU, ICT Price Basket methodology (prices as % of monthly GNI p.c., Atlas); Broadband Commission 2025 Advocacy Target 2 (< 2%)';

/** Monthly price as % of monthly GNI per capita. Price and GNI in the same currency (USD). */
export function priceShareOfGni(monthlyPrice: number, gniPerCapitaYear: number): number {
  requireNonNegative(monthlyPrice, 'price');
  requirePositive(gniPerCapitaYear, 'gniPerCapita');
  return ((monthlyPrice * 12) / gniPerCapitaYear) * 100;
}

/** Strictly below the threshold (default 2%). */
export function meetsAffordabilityTarget(
  sharePercent: number,
  threshold = AFFORDABILITY_TARGET_PERCENT,
): boolean {
  requireNonNegative(sharePercent, 'share');
  requirePositive(threshold, 'threshold');
  return sharePercent < threshold;
}

export interface AffordabilityRow {
  geo: string;
  /** Price as % of monthly GNI p.c.; or give price and gniPerCapita. */
  share?: number | null;
  price?: number | null;
  gniPerCapita?: number | null;
  /** Population, for the share of people and coverage. */
  population?: number | null;
  filled?: boolean;
}

export interface AffordabilityInput {
  group: string;
  year?: number;
  members: readonly string[];
  rows: readonly AffordabilityRow[];
}

export interface GroupAffordability {
  /** Countries with a price. */
  countries: number;
  /** Countries below the threshold. */
  countriesMeeting: number;
  /** countriesMeeting / countries */
  shareOfCountries: number;
  /** Population in countries below the threshold / population of countries with a price; null without populations. */
  shareOfPeople: number | null;
  /** Median share (type 7), unweighted across countries. */
  median: number;
  threshold: number;
}

function shareOf(row: AffordabilityRow): number | null {
  if (isNumber(row.share)) return requireNonNegative(row.share, 'share');
  if (isNumber(row.price) && isNumber(row.gniPerCapita)) return priceShareOfGni(row.price, row.gniPerCapita);
  return null;
}

export function groupAffordability(
  input: AffordabilityInput,
  options: { threshold?: number; rule?: Partial<CoverageRule> } = {},
): StatResult<GroupAffordability> {
  const threshold = options.threshold ?? AFFORDABILITY_TARGET_PERCENT;
  requirePositive(threshold, 'threshold');
  const rule = coverageRule(options.rule);
  const where = input.year === undefined ? `'${input.group}'` : `'${input.group}' in ${input.year}`;
  if (input.members.length === 0) throw invalid(`group ${where} has no members`, { field: 'group' });
  requireUnique(input.members, 'members');
  requireUnique(
    input.rows.map((r) => r.geo),
    'geo',
  );
  const memberSet = new Set(input.members);
  const byGeo = new Map<string, AffordabilityRow>();
  for (const r of input.rows) {
    if (!memberSet.has(r.geo))
      throw invalid(`'${r.geo}' is not a member of group ${where}`, { field: 'geo' });
    byGeo.set(r.geo, r);
  }
  const shares: number[] = [];
  let meeting = 0;
  let pop = 0;
  let popMeeting = 0;
  let popKnown = true;
  const members = input.members.map((geo) => {
    const r = byGeo.get(geo);
    const s = r ? shareOf(r) : null;
    if (s !== null) {
      shares.push(s);
      const ok = s < threshold;
      if (ok) meeting++;
      if (isNumber(r!.population)) {
        pop += r!.population;
        if (ok) popMeeting += r!.population;
      } else popKnown = false;
    }
    return { geo, hasData: s !== null, weight: r?.population ?? null, filled: r?.filled === true };
  });
  const coverage = coverageOf(members);
  const method: MethodInfo = {
    name: 'affordability-target',
    formula:
      'share_i = price_i × 12 / GNIpc_i × 100; meets if share_i < threshold; people share = Σ pop_i[meets] / Σ pop_i; median type 7',
    source: AFFORDABILITY_SOURCE,
    params: { threshold, minWeightShare: rule.minWeightShare },
  };
  const reason = withholdReason(coverage, rule);
  if (reason !== null) return { status: 'withheld', reason, method, coverage };
  return {
    status: 'ok',
    value: {
      countries: shares.length,
      countriesMeeting: meeting,
      shareOfCountries: meeting / shares.length,
      shareOfPeople: popKnown && pop > 0 ? popMeeting / pop : null,
      median: median(shares),
      threshold,
    },
    method,
    coverage,
  };
}

/**
 * Median affordability per group (e.g. World Bank income groups), each with its coverage.
 * `groups` maps a group code to its members for the year.
 */
export function affordabilityMedians(
  rows: readonly AffordabilityRow[],
  groups: Readonly<Record<string, readonly string[]>>,
  options: { threshold?: number; rule?: Partial<CoverageRule>; year?: number } = {},
): Record<string, StatResult<GroupAffordability>> {
  const byGeo = new Map(rows.map((r) => [r.geo, r]));
  const out: Record<string, StatResult<GroupAffordability>> = {};
  for (const code of Object.keys(groups).sort()) {
    const members = groups[code]!;
    out[code] = groupAffordability(
      {
        group: code,
        ...(options.year !== undefined ? { year: options.year } : {}),
        members,
        rows: members.flatMap((g) => {
          const r = byGeo.get(g);
          return r ? [r] : [];
        }),
      },
      options,
    );
  }
  return out;
}
