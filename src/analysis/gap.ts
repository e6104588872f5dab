/**
 * Gender and urban/rural gaps for a country or a group, from the store:
 *
 *   by sex   male and female rates of the indicator (sex M / F), weighted by UN WPP male and
 *            female population; ITU gender gap (M − F) / M and parity score F / M;
 *   by area  urban and rural rates (area U / R), weighted by WDI urban and rural population
 *            (SP.POP.TOTL area U / R = SP.URB.TOTL / SP.RUR.TOTL); gap (U − R) / U.
 *
 * A group's rates come from counts over the countries that have both rates (stats/paired-rates.ts);
 * coverage is the share of the group's population (WPP.POP) living in them.
 */
import { invalid, notFound } from '../core/errors.ts';
import { type AreaGap, groupAreaGap } from '../stats/area-gap.ts';
import type { CoverageRule } from '../stats/coverage.ts';
import type { FillMethod } from '../stats/gap-fill.ts';
import { type GroupGender, groupGender } from '../stats/gender-gap.ts';
import { type ParityStatus, parityStatus } from '../stats/parity.ts';
import type { StatResult } from '../stats/result.ts';
import type { SeriesKey } from '../store/group-sums.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { countryValues } from './country-values.ts';
import { POPULATION, requireData, seriesKey, seriesLabel } from './series.ts';
import { resolveUnit } from './target.ts';

export const URBAN_RURAL_POPULATION = 'SP.POP.TOTL';

export interface GapRequest {
  indicator: string;
  by: 'sex' | 'area';
  /** A country (ISO3/ISO2/M49) or, when no group of that code exists as a country, a group. */
  geo?: string;
  group?: string;
  year: number;
  /** Gap-filling window in years (the two rates are filled together). */
  fill?: number;
  fillMethod?: FillMethod;
  minCoverage?: number;
  rule?: Partial<CoverageRule>;
}

export interface GapReport {
  indicator: string;
  by: 'sex' | 'area';
  unit: { kind: 'geo' | 'group'; code: string };
  year: number;
  result: StatResult<(GroupGender | (AreaGap & { n: number })) & { parityStatus: ParityStatus }>;
  /** Countries whose two rates entered the result. */
  countries: string[];
  sources: SourceRef[];
}

export async function gap(store: Store, req: GapRequest): Promise<GapReport> {
  if (req.by !== 'sex' && req.by !== 'area')
    throw invalid(`--by must be sex or area, got '${String(req.by)}'`, { field: 'by' });
  if (!Number.isInteger(req.year) || req.year < 1000 || req.year > 9999)
    throw invalid(`must be a four-digit year, got ${req.year}`, { field: 'year' });
  const window = req.fill ?? 0;
  if (!Number.isInteger(window) || window < 0)
    throw invalid(`must be a non-negative integer number of years, got ${window}`, { field: 'fill' });
  const base = await seriesKey(store, req.indicator);
  const [a, b] = req.by === 'sex' ? ['M', 'F'] : ['U', 'R'];
  const dim = req.by;
  const rateA: SeriesKey = { ...base, sex: '_T', area: '_T', [dim]: a };
  const rateB: SeriesKey = { ...base, sex: '_T', area: '_T', [dim]: b };
  const popCode = req.by === 'sex' ? POPULATION : URBAN_RURAL_POPULATION;
  const popBase = await seriesKey(store, popCode);
  const popA: SeriesKey = { ...popBase, [dim]: a };
  const popB: SeriesKey = { ...popBase, [dim]: b };
  const weight = await seriesKey(store, POPULATION);
  await requireData(store, rateA, [req.year], window, 'indicator');
  await requireData(store, rateB, [req.year], window, 'indicator');
  const unit = await resolveUnit(store, { geo: req.geo, group: req.group }, req.year);

  const series = [rateA, rateB, popA, popB, weight];
  const rows = await countryValues(store, unit.members, series, req.year, {
    ...(window > 0
      ? { fill: { series: [0, 1], window, method: req.fillMethod ?? 'linear-then-nearest' } }
      : {}),
  });
  const rule: Partial<CoverageRule> = { ...req.rule };
  if (req.minCoverage !== undefined) rule.minWeightShare = req.minCoverage;
  const input = { group: unit.code, year: req.year, members: unit.members };
  let result: GapReport['result'];
  if (req.by === 'sex') {
    const r = groupGender(
      {
        ...input,
        rows: rows.map((r) => ({
          geo: r.geo,
          male: r.values[0],
          female: r.values[1],
          malePop: r.values[2],
          femalePop: r.values[3],
          weight: r.values[4],
          filled: r.filled,
        })),
      },
      rule,
    );
    result =
      r.status === 'ok' ? { ...r, value: { ...r.value, parityStatus: parityStatus(r.value.parity) } } : r;
  } else {
    const r = groupAreaGap(
      {
        ...input,
        rows: rows.map((r) => ({
          geo: r.geo,
          urban: r.values[0],
          rural: r.values[1],
          urbanPop: r.values[2],
          ruralPop: r.values[3],
          weight: r.values[4],
          filled: r.filled,
        })),
      },
      rule,
    );
    result =
      r.status === 'ok' ? { ...r, value: { ...r.value, parityStatus: parityStatus(r.value.parity) } } : r;
  }
  if (unit.kind === 'geo' && result.coverage.withData === 0) {
    throw notFound(
      `${unit.code} has no ${seriesLabel(rateA)} and ${seriesLabel(rateB)} (with ${seriesLabel(popA)}, ${seriesLabel(popB)}) for ${req.year}${window > 0 ? ` or within ${window} years` : ''}`,
      { field: 'geo' },
    );
  }
  result.method.params = {
    ...result.method.params,
    indicator: base.code,
    rates: `${seriesLabel(rateA)} vs ${seriesLabel(rateB)}`,
    populations: `${seriesLabel(popA)}, ${seriesLabel(popB)}`,
    coverageWeight: seriesLabel(weight),
    fillWindow: window,
    membership: `${req.year}-07-01`,
  };
  const countries = rows
    .filter((r) => r.values.slice(0, 4).every((v) => v !== null && Number.isFinite(v)))
    .map((r) => r.geo);
  return {
    indicator: base.code,
    by: req.by,
    unit: { kind: unit.kind, code: unit.code },
    year: req.year,
    result,
    countries,
    sources: await sourcesFor(store, series, req.year - window, req.year + window),
  };
}
