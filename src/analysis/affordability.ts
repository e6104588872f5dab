/**
 * Affordability per group from the store: an ITU price basket expressed as % of monthly GNI per
 * capita (e.g. i271mb_2GB_GNI, i154_FBB5_GNI), the share of countries and of people below the
 * threshold (default 2%, Broadband Commission target 2), and the median across countries
 * (stats/affordability.ts). Default groups: the World Bank income groups in force for the year.
 */
import { invalid } from '../core/errors.ts';
import { type GroupAffordability, groupAffordability } from '../stats/affordability.ts';
import type { CoverageRule } from '../stats/coverage.ts';
import type { StatResult } from '../stats/result.ts';
import { membersAt } from '../store/member-values.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { countryValues } from './country-values.ts';
import { groupNames, POPULATION, requireData, resolveGroups, seriesKey } from './series.ts';

export const INCOME_GROUPS = ['WB_L', 'WB_LM', 'WB_UM', 'WB_H'] as const;

export interface AffordabilityRequest {
  /** A basket already expressed as % of monthly GNI per capita (e.g. i271mb_2GB_GNI). */
  basket: string;
  year: number;
  groups?: readonly string[];
  threshold?: number;
  minCoverage?: number;
  rule?: Partial<CoverageRule>;
}

export interface GroupAffordabilityResult {
  group: string;
  groupName: string;
  year: number;
  result: StatResult<GroupAffordability>;
}

export interface AffordabilityReport {
  basket: string;
  year: number;
  results: GroupAffordabilityResult[];
  sources: SourceRef[];
}

export async function affordability(store: Store, req: AffordabilityRequest): Promise<AffordabilityReport> {
  if (!Number.isInteger(req.year))
    throw invalid(`must be a four-digit year, got ${req.year}`, { field: 'year' });
  const basket = await seriesKey(store, req.basket);
  const pop = await seriesKey(store, POPULATION);
  await requireData(store, basket, [req.year], 0, 'basket');
  const groups = await resolveGroups(store, req.groups?.length ? req.groups : INCOME_GROUPS);
  const names = await groupNames(store, groups);
  const rule: Partial<CoverageRule> = { ...req.rule };
  if (req.minCoverage !== undefined) rule.minWeightShare = req.minCoverage;
  const results: GroupAffordabilityResult[] = [];
  for (const g of groups) {
    const members = await membersAt(store, g, req.year);
    if (members.length === 0)
      throw invalid(`group ${g} has no members on ${req.year}-07-01`, { field: 'group' });
    const rows = await countryValues(store, members, [basket, pop], req.year);
    const result = groupAffordability(
      {
        group: g,
        year: req.year,
        members,
        rows: rows.map((r) => ({ geo: r.geo, share: r.values[0], population: r.values[1] })),
      },
      { ...(req.threshold !== undefined ? { threshold: req.threshold } : {}), rule },
    );
    result.method.params = { ...result.method.params, basket: basket.code, membership: `${req.year}-07-01` };
    results.push({ group: g, groupName: names.get(g) ?? g, year: req.year, result });
  }
  return {
    basket: basket.code,
    year: req.year,
    results,
    sources: await sourcesFor(store, [basket, pop], req.year, req.year),
  };
}
