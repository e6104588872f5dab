/**
 * Progress towards the registry's targets (data/targets.csv) for a country or a group, with the
 * ESCAP Current Status and Anticipated Progress Indices (stats/progress.ts, target-progress.ts).
 *
 * The series: a country's observations, or a group's yearly aggregates (analysis/aggregate.ts;
 * years whose aggregate is withheld are left out and listed). The derived indicator
 * IT.NET.USER.GPS (gender parity score, female ÷ male Internet use) is computed from
 * IT.NET.USER.ZS by sex: for a country the ratio of its two rates, for a group the parity of the
 * group rates from counts (analysis/gap.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalid, notFound } from '../core/errors.ts';
import type { AggregateMethod } from '../stats/aggregate.ts';
import type { YearValue } from '../stats/gap-fill.ts';
import { ESCAP_SOURCE } from '../stats/progress.ts';
import { progressTowards, type TargetProgress } from '../stats/target-progress.ts';
import { parseTargets, type Target, targetById, targetsFor } from '../stats/targets.ts';
import { memberValues } from '../store/member-values.ts';
import { DATA_DIR } from '../store/reference.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { aggregate } from './aggregate.ts';
import { gap } from './gap.ts';
import { POPULATION, seriesKey } from './series.ts';
import { resolveUnit } from './target.ts';

export const GENDER_PARITY_INDICATOR = 'IT.NET.USER.GPS';

export function loadTargets(dataDir: string = DATA_DIR): Target[] {
  const file = join(dataDir, 'targets.csv');
  return parseTargets(readFileSync(file, 'utf8'), { file: 'data/targets.csv' });
}

export interface ProgressRequest {
  /** Indicator code; optional when `target` is given (the target's indicator is used). */
  indicator?: string;
  geo?: string;
  group?: string;
  /** A target id from data/targets.csv; default: every target for the indicator and geo. */
  target?: string;
  /** Group series: how each year is aggregated (default by unit: median for % of GNI p.c., ratio to population × 100 for counts, else population-weighted mean). */
  method?: AggregateMethod;
  /** Targets to use instead of data/targets.csv (tests). */
  targets?: readonly Target[];
}

export interface ProgressReport {
  indicator: string;
  unit: { kind: 'geo' | 'group'; code: string };
  series: Array<YearValue & { countries?: number; members?: number; weightShare?: number | null }>;
  /** Group series: years left out because the aggregate was withheld, with the reason. */
  withheldYears: Array<{ year: number; reason: string }>;
  seriesMethod: string;
  progress: TargetProgress[];
  source: string;
  sources: SourceRef[];
}

async function unitOf(store: Store, indicator: string): Promise<string | null> {
  return (
    (await store.db.value<string | null>('SELECT unit FROM indicators WHERE code = ?', [indicator])) ?? null
  );
}

export async function progress(store: Store, req: ProgressRequest): Promise<ProgressReport> {
  const targets = req.targets ?? loadTargets();
  const chosen = req.target ? targetById(targets, req.target) : undefined;
  const indicatorCode = req.indicator ?? chosen?.indicator;
  if (!indicatorCode) throw invalid('give an indicator or a target id', { field: 'indicator' });
  const derived = indicatorCode.toUpperCase() === GENDER_PARITY_INDICATOR;
  const key = await seriesKey(store, derived ? 'IT.NET.USER.ZS' : indicatorCode);
  const indicator = derived ? GENDER_PARITY_INDICATOR : key.code;
  if (chosen && chosen.indicator !== indicator)
    throw invalid(`target '${chosen.id}' is for ${chosen.indicator}, not ${indicator}`, { field: 'target' });
  // Membership for the unit check: the latest year (groups' current composition).
  const unit = await resolveUnit(store, { geo: req.geo, group: req.group }, new Date().getUTCFullYear());
  const list = chosen ? [chosen] : targetsFor(targets, indicator, unit.code);
  if (list.length === 0)
    throw notFound(`no target in data/targets.csv for ${indicator} and ${unit.code}; give --target ID`, {
      field: 'target',
    });

  let series: ProgressReport['series'] = [];
  const withheldYears: ProgressReport['withheldYears'] = [];
  let seriesMethod: string;
  const all = await store.db.all<{ year: number }>(
    `SELECT DISTINCT year FROM obs WHERE indicator = ? AND sex = ? AND area = ? AND age = ? AND quintile = ? AND breakdown = ? ORDER BY year`,
    [key.code, derived ? 'F' : key.sex, key.area, key.age, key.quintile, key.breakdown],
  );
  const years = all.map((r) => r.year);
  if (years.length === 0) throw notFound(`${indicator} has no observations`, { field: 'indicator' });
  if (derived) {
    seriesMethod = 'gender parity score F/M (group: rates from counts)';
    for (const y of years) {
      try {
        const g = await gap(store, {
          indicator: 'IT.NET.USER.ZS',
          by: 'sex',
          ...(unit.kind === 'geo' ? { geo: unit.code } : { group: unit.code }),
          year: y,
        });
        if (g.result.status === 'ok')
          series.push({
            year: y,
            value: g.result.value.parity,
            countries: g.result.coverage.withData,
            members: g.result.coverage.members,
            weightShare: g.result.coverage.weightShare,
          });
        else withheldYears.push({ year: y, reason: g.result.reason });
      } catch (e) {
        withheldYears.push({ year: y, reason: e instanceof Error ? e.message : String(e) });
      }
    }
  } else if (unit.kind === 'geo') {
    seriesMethod = 'observed country values';
    const obs = await memberValues(store, [unit.code], [key], years[0]!, years[years.length - 1]!);
    series = obs.map((o) => ({ year: o.year, value: o.value }));
  } else {
    const unitText = (await unitOf(store, key.code)) ?? '';
    const method: AggregateMethod =
      req.method ??
      (/GNI/i.test(unitText) ? 'median' : /^number$|persons/i.test(unitText) ? 'ratio' : 'wmean');
    const rep = await aggregate(store, {
      indicator: key.code,
      groups: [unit.code],
      year: years,
      method,
      ...(method === 'ratio' ? { denominator: POPULATION, scale: 100 } : {}),
      skipEmpty: true,
    });
    seriesMethod = `${rep.method} aggregate per year${method === 'ratio' ? ' (per 100 people)' : ''}${method === 'wmean' ? ` weighted by ${rep.weight}` : ''}`;
    for (const r of rep.results) {
      if (r.result.status === 'ok')
        series.push({
          year: r.year,
          value: r.result.value.value,
          countries: r.result.coverage.withData,
          members: r.result.coverage.members,
          weightShare: r.result.coverage.weightShare,
        });
      else withheldYears.push({ year: r.year, reason: r.result.reason });
    }
  }
  const progressList = list.map((t) => progressTowards(series, t));
  return {
    indicator,
    unit: { kind: unit.kind, code: unit.code },
    series,
    withheldYears,
    seriesMethod,
    progress: progressList,
    source: ESCAP_SOURCE,
    sources: await sourcesFor(store, [key], years[0]!, years[years.length - 1]!),
  };
}
