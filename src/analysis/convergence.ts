/**
 * Convergence across countries over a period (stats/convergence.ts), from the store: sigma
 * convergence (the yearly coefficient of variation over a balanced panel, population-weighted by
 * default, and its OLS trend) and beta convergence (average annual log growth on the initial log
 * level, countries with positive values in both years) for the countries of a group (default
 * WORLD, membership in the first year).
 */
import { invalid } from '../core/errors.ts';
import {
  type BetaConvergence,
  betaConvergence,
  type SigmaConvergence,
  sigmaConvergence,
} from '../stats/convergence.ts';
import { type Coverage, coverageOf } from '../stats/coverage.ts';
import type { WeightedValue } from '../stats/weighted.ts';
import { membersAt, memberValues } from '../store/member-values.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { POPULATION, requireData, resolveGroups, seriesKey } from './series.ts';

export interface ConvergenceRequest {
  indicator: string;
  from: number;
  to: number;
  group?: string;
  /** Sigma convergence weighted by population (default true). */
  weighted?: boolean;
}

export interface ConvergenceReport {
  indicator: string;
  group: string;
  from: number;
  to: number;
  sigma: SigmaConvergence;
  beta: BetaConvergence;
  /**
   * Coverage of the group (members in the first year) by the countries each measure used, weighted
   * by population: sigma's balanced panel in the last year, beta's countries in the first year.
   */
  coverage: { sigma: Coverage; beta: Coverage };
  sources: SourceRef[];
}

export async function convergence(store: Store, req: ConvergenceRequest): Promise<ConvergenceReport> {
  if (!(Number.isInteger(req.from) && Number.isInteger(req.to)) || req.to <= req.from)
    throw invalid(`the period ${req.from}–${req.to} must run forwards over whole years`, { field: 'from' });
  const key = await seriesKey(store, req.indicator);
  const pop = await seriesKey(store, POPULATION);
  await requireData(store, key, [req.from], 0, 'indicator');
  await requireData(store, key, [req.to], 0, 'indicator');
  const [group] = await resolveGroups(store, [req.group ?? 'WORLD']);
  const members = await membersAt(store, group!, req.from);
  if (members.length === 0)
    throw invalid(`group ${group} has no members on ${req.from}-07-01`, { field: 'group' });
  const obs = await memberValues(store, members, [key, pop], req.from, req.to);
  const vals = new Map<string, number>();
  for (const o of obs) vals.set(`${o.series}|${o.geo}|${o.year}`, o.value);
  const panel: Record<number, WeightedValue[]> = {};
  for (let y = req.from; y <= req.to; y++) {
    panel[y] = members.flatMap((g) => {
      const v = vals.get(`0|${g}|${y}`);
      const w = vals.get(`1|${g}|${y}`);
      return v !== undefined && w !== undefined && w > 0 ? [{ geo: g, value: v, weight: w }] : [];
    });
  }
  const at = (y: number) =>
    members.flatMap((g) => {
      const v = vals.get(`0|${g}|${y}`);
      // Log growth needs positive values: countries at 0 are left out of beta convergence.
      return v !== undefined && v > 0 ? [{ geo: g, value: v }] : [];
    });
  const sigma = sigmaConvergence(panel, { weighted: req.weighted ?? true });
  const beta = betaConvergence(
    { year: req.from, values: at(req.from) },
    { year: req.to, values: at(req.to) },
  );
  const coverageIn = (used: readonly string[], year: number): Coverage => {
    const set = new Set(used);
    return coverageOf(
      members.map((g) => ({ geo: g, hasData: set.has(g), weight: vals.get(`1|${g}|${year}`) ?? null })),
    );
  };
  return {
    indicator: key.code,
    group: group!,
    from: req.from,
    to: req.to,
    sigma,
    beta,
    coverage: { sigma: coverageIn(sigma.countries, req.to), beta: coverageIn(beta.countries, req.from) },
    sources: await sourcesFor(store, [key, pop], req.from, req.to),
  };
}
