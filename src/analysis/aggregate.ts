/**
 * Group aggregates from the store: the sums are computed in DuckDB (store/group-sums.ts, one
 * query for every indicator × group × year asked for) and `aggregateFromSums` applies the coverage
 * rule, the formula and the method record (stats/aggregate-sums.ts). Every result carries its
 * method and coverage; the report carries the dataset vintages used.
 *
 *   aggregate(store, { indicator: 'i271mw', denominator: 'WPP.POP', scale: 100,
 *                      groups: ['DEVELOPED', 'DEVELOPING', 'LDC'], year: 2019 })
 */
import { invalid, notFound } from '../core/errors.ts';
import { AGGREGATE_METHODS, type AggregateMethod, type AggregateValue } from '../stats/aggregate.ts';
import { aggregateFromSums } from '../stats/aggregate-sums.ts';
import type { CoverageRule } from '../stats/coverage.ts';
import type { MethodInfo, StatResult } from '../stats/result.ts';
import {
  type GroupMemberRow,
  type GroupSumsQuery,
  queryGroupMembers,
  queryGroupSums,
  type SeriesKey,
  type SqlFillMethod,
} from '../store/group-sums.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { groupNames, POPULATION, requireData, resolveGroups, seriesKey, seriesLabel } from './series.ts';

export interface FillOption {
  /** Years either side of the target year a value may come from. */
  window: number;
  /** Default 'linear-then-nearest'. */
  method?: SqlFillMethod;
}

export interface AggregateRequest {
  /** Indicator code(s): the value, or the numerator for `ratio`. */
  indicator: string | readonly string[];
  /** Group codes or names (LDC, DEVELOPED, WB_L, M49_002, 'Least developed countries'). */
  groups: readonly string[];
  /** Data year(s); membership as at 1 July of each. */
  year: number | readonly number[];
  /** Default: ratio with a denominator, wmean with a weight, else mean. */
  method?: AggregateMethod;
  /** wmean: averaging weight (default WPP.POP); other methods: coverage weight. */
  weight?: string;
  /** ratio: denominator (default WPP.POP). */
  denominator?: string;
  /** ratio: multiplier, e.g. 100 for "per 100 people". */
  scale?: number;
  /** Gap-filling: a window in years, or the window and method. Off by default. */
  fill?: number | FillOption;
  /** Withhold below this share of the group's weight (default 0.5). */
  minCoverage?: number;
  /** Further coverage rules (minCountShare, minCountries). */
  rule?: Partial<CoverageRule>;
  /**
   * Bulk runs: leave out group × year combinations with no members (e.g. World Bank income groups
   * before FY1989) instead of failing.
   */
  skipEmpty?: boolean;
}

export interface GroupAggregate {
  /** The value series: the code with any non-total dimensions, e.g. IT.NET.USER.ZS[sex=F]. */
  indicator: string;
  group: string;
  groupName: string;
  year: number;
  result: StatResult<AggregateValue>;
}

export interface AggregateReport {
  method: AggregateMethod;
  indicators: string[];
  denominator: string | null;
  weight: string | null;
  coverageWeight: string;
  scale: number;
  fill: { window: number; method: SqlFillMethod } | null;
  results: GroupAggregate[];
  /** Group × year combinations left out because the group had no members (skipEmpty). */
  skipped: Array<{ group: string; year: number; reason: string }>;
  sources: SourceRef[];
}

const asList = <T>(x: T | readonly T[]): T[] => (Array.isArray(x) ? [...(x as T[])] : [x as T]);

function checkYears(years: number[]): number[] {
  if (years.length === 0) throw invalid('give at least one year', { field: 'year' });
  for (const y of years) {
    if (!Number.isInteger(y) || y < 1000 || y > 9999)
      throw invalid(`must be a four-digit year, got ${y}`, { field: 'year' });
  }
  return [...new Set(years)].sort((a, b) => a - b);
}

function fillOf(f: AggregateRequest['fill']): { window: number; method: SqlFillMethod } | null {
  if (f === undefined) return null;
  const o = typeof f === 'number' ? { window: f } : f;
  if (!Number.isInteger(o.window) || o.window < 0)
    throw invalid(`must be a non-negative integer number of years, got ${o.window}`, { field: 'fill' });
  const method = o.method ?? 'linear-then-nearest';
  if (!['nearest', 'linear', 'linear-then-nearest'].includes(method))
    throw invalid(`unknown fill method '${method}'; use nearest, linear or linear-then-nearest`, {
      field: 'fill',
    });
  return o.window === 0 ? null : { window: o.window, method };
}

interface Prepared {
  method: AggregateMethod;
  scale: number;
  years: number[];
  fill: { window: number; method: SqlFillMethod } | null;
  values: SeriesKey[];
  groups: string[];
  denominator: SeriesKey | undefined;
  weight: SeriesKey | undefined;
  coverageWeight: SeriesKey;
  query: GroupSumsQuery;
}

/** Validates and resolves a request (unknown codes fail here, before any work). */
async function prepare(store: Store, req: AggregateRequest): Promise<Prepared> {
  const method: AggregateMethod = req.method ?? (req.denominator ? 'ratio' : req.weight ? 'wmean' : 'mean');
  if (!AGGREGATE_METHODS.includes(method))
    throw invalid(`unknown method '${String(method)}'; use one of ${AGGREGATE_METHODS.join(', ')}`, {
      field: 'method',
    });
  if (req.denominator && method !== 'ratio')
    throw invalid(`a denominator is used by method 'ratio' only, not '${method}'`, { field: 'denominator' });
  const scale = req.scale ?? 1;
  if (!Number.isFinite(scale)) throw invalid(`must be a finite number, got ${scale}`, { field: 'scale' });
  if (req.scale !== undefined && method !== 'ratio')
    throw invalid(`a scale is used by method 'ratio' only, not '${method}'`, { field: 'scale' });
  const years = checkYears(asList(req.year));
  const fill = fillOf(req.fill);
  const codes = asList(req.indicator);
  if (codes.length === 0) throw invalid('give at least one indicator', { field: 'indicator' });
  if (req.groups.length === 0) throw invalid('give at least one group', { field: 'groups' });

  // Resolve everything first: unknown codes fail before any work.
  const values: SeriesKey[] = [];
  for (const c of codes) values.push(await seriesKey(store, c));
  const groups = await resolveGroups(store, req.groups);
  const denominator = method === 'ratio' ? await seriesKey(store, req.denominator ?? POPULATION) : undefined;
  const weight = method === 'wmean' ? await seriesKey(store, req.weight ?? POPULATION) : undefined;
  const coverageWeight =
    req.weight !== undefined
      ? await seriesKey(store, req.weight)
      : (denominator ?? weight ?? (await seriesKey(store, POPULATION)));

  const query: GroupSumsQuery = {
    groups,
    years,
    values,
    method,
    ...(denominator ? { denominator } : {}),
    ...(weight ? { weight } : {}),
    coverageWeight,
    ...(fill ? { fill } : {}),
  };
  return { method, scale, years, fill, values, groups, denominator, weight, coverageWeight, query };
}

/** Raises the "no data" error naming what is missing (value, denominator or weight series). */
async function diagnoseNoData(store: Store, req: AggregateRequest, p: Prepared): Promise<void> {
  const window = p.fill?.window ?? 0;
  if (p.values.length === 1) await requireData(store, p.values[0]!, p.years, window, 'indicator');
  if (p.denominator) await requireData(store, p.denominator, p.years, window, 'denominator');
  if (p.weight) await requireData(store, p.weight, p.years, 0, 'weight');
  else if (req.weight !== undefined) await requireData(store, p.coverageWeight, p.years, 0, 'weight');
}

export async function aggregate(store: Store, req: AggregateRequest): Promise<AggregateReport> {
  const prep = await prepare(store, req);
  const { method, scale, years, fill, values, groups, denominator, weight, coverageWeight } = prep;
  const window = fill?.window ?? 0;
  const rule: Partial<CoverageRule> = { ...req.rule };
  if (req.minCoverage !== undefined) rule.minWeightShare = req.minCoverage;
  const rows = await queryGroupSums(store, prep.query);

  // No data in the years asked for: a clear error naming what is missing, not a table of withheld
  // rows. Checked only when the query found nothing to use (so large runs pay no extra scan). In a
  // bulk run (several indicators) an indicator without data simply yields withheld results.
  const nothing = rows.every((r) => r.withData === 0);
  const noWeight = req.weight !== undefined && rows.every((r) => r.weightTotal === null);
  if (nothing || noWeight) await diagnoseNoData(store, req, prep);

  const names = await groupNames(store, groups);
  const byKey = new Map(rows.map((r) => [`${r.series}\u0000${r.group}\u0000${r.year}`, r]));
  const weightName = seriesLabel(weight ?? coverageWeight);
  const results: GroupAggregate[] = [];
  const skipped: AggregateReport['skipped'] = [];
  for (const [i, v] of values.entries()) {
    const label = seriesLabel(v);
    let shared: MethodInfo | undefined;
    for (const g of groups) {
      for (const y of years) {
        const r = byKey.get(`${i}\u0000${g}\u0000${y}`);
        if (!r) {
          const reason = `group ${g} has no members on ${y}-07-01`;
          if (req.skipEmpty) {
            if (i === 0) skipped.push({ group: g, year: y, reason });
            continue;
          }
          throw notFound(`${reason}: no aggregate can be computed`, { field: 'group' });
        }
        if (method === 'wmean' && r.withData === 0 && r.valuesWithoutWeight > 0) {
          throw invalid(
            `weight ${weightName} has no data for any of the ${r.valuesWithoutWeight} countries of group ${g} that have a value in ${y}`,
            { field: 'weight' },
          );
        }
        const result = aggregateFromSums(r, {
          method,
          scale,
          rule,
          weightName,
        });
        // One method record per series, shared by its results (bulk runs make ~100k of them).
        if (!shared) {
          shared = {
            ...result.method,
            params: {
              ...result.method.params,
              indicator: label,
              denominator: denominator ? seriesLabel(denominator) : null,
              coverageWeight: seriesLabel(coverageWeight),
              fillWindow: fill?.window ?? 0,
              fillMethod: fill?.method ?? null,
              membership: '1 July of the data year',
            },
          };
        }
        result.method = shared;
        results.push({ indicator: label, group: g, groupName: names.get(g) ?? g, year: y, result });
      }
    }
  }
  const used = [
    ...values,
    ...(denominator ? [denominator] : []),
    ...(weight ? [weight] : []),
    coverageWeight,
  ];
  const sources = await sourcesFor(store, used, years[0]! - window, years[years.length - 1]! + window);
  return {
    method,
    indicators: values.map(seriesLabel),
    denominator: denominator ? seriesLabel(denominator) : null,
    weight: weight ? seriesLabel(weight) : null,
    coverageWeight: seriesLabel(coverageWeight),
    scale,
    fill,
    results,
    skipped,
    sources,
  };
}

export interface MembersReport {
  method: AggregateMethod;
  fill: { window: number; method: SqlFillMethod } | null;
  /** One row per member of each group × year (× indicator), with what entered the aggregate. */
  members: Array<GroupMemberRow & { indicator: string }>;
  sources: SourceRef[];
}

/**
 * The country rows behind `aggregate`: for each member, its value (or numerator and denominator),
 * weight, whether it entered the aggregate, and whether it was gap-filled and from which years.
 */
export async function aggregateMembers(store: Store, req: AggregateRequest): Promise<MembersReport> {
  const prep = await prepare(store, req);
  const rows = await queryGroupMembers(store, prep.query);
  if (rows.length > 0 && rows.every((r) => !r.used)) await diagnoseNoData(store, req, prep);
  const window = prep.fill?.window ?? 0;
  const used = [
    ...prep.values,
    ...(prep.denominator ? [prep.denominator] : []),
    ...(prep.weight ? [prep.weight] : []),
    prep.coverageWeight,
  ];
  return {
    method: prep.method,
    fill: prep.fill,
    members: rows.map((r) => ({ ...r, indicator: seriesLabel(prep.values[r.series]!) })),
    sources: await sourcesFor(
      store,
      used,
      prep.years[0]! - window,
      prep.years[prep.years.length - 1]! + window,
    ),
  };
}
