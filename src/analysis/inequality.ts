/**
 * Inequality across countries for one indicator and year (stats/gini.ts, theil.ts, variation.ts,
 * quintile-ratio.ts): population-weighted Gini, Theil T, coefficient of variation (weighted and
 * unweighted) and top-to-bottom quintile ratio over the countries of a universe group (default
 * WORLD) with a value and a population; with `by`, the exact between/within decomposition of Theil
 * T for a grouping that partitions them.
 *
 * `by`: 'income' (World Bank groups in force for the year), 'development' (M49 2020 developed /
 * developing), 'region' (M49 regions), or a comma-separated list of group codes.
 */
import { invalid } from '../core/errors.ts';
import { type Coverage, coverageOf } from '../stats/coverage.ts';
import { GINI_FORMULA, gini } from '../stats/gini.ts';
import { quintileRatio } from '../stats/quintile-ratio.ts';
import type { MethodInfo } from '../stats/result.ts';
import { THEIL_FORMULA, type TheilDecomposition, theil, theilDecomposition } from '../stats/theil.ts';
import { dispersion } from '../stats/variation.ts';
import { unweighted, type WeightedValue } from '../stats/weighted.ts';
import { membersAt } from '../store/member-values.ts';
import { type SourceRef, sourcesFor } from '../store/sources.ts';
import type { Store } from '../store/store.ts';
import { countryValues } from './country-values.ts';
import { POPULATION, requireData, resolveGroups, seriesKey, seriesLabel } from './series.ts';

export const GROUPINGS: Record<string, readonly string[]> = {
  income: ['WB_L', 'WB_LM', 'WB_UM', 'WB_H'],
  development: ['DEVELOPED', 'DEVELOPING'],
  region: ['M49_002', 'M49_009', 'M49_019', 'M49_142', 'M49_150'],
};

export interface InequalityRequest {
  indicator: string;
  year: number;
  /** Universe of countries (default WORLD). */
  group?: string;
  /** A grouping for the Theil decomposition. */
  by?: string;
  /** Weight (default WPP.POP). */
  weight?: string;
}

export interface InequalityValue {
  countries: number;
  mean: number;
  gini: number;
  theil: number;
  cv: number;
  cvUnweighted: number;
  quintileRatio: number | null;
  decomposition:
    | (TheilDecomposition & {
        grouping: string;
        unclassified: string[];
        /** Coverage of the universe by the countries in the grouping (those the decomposition used). */
        coverage: Coverage;
      })
    | null;
}

export interface InequalityReport {
  indicator: string;
  year: number;
  universe: string;
  value: InequalityValue;
  method: MethodInfo;
  coverage: Coverage;
  sources: SourceRef[];
}

export async function inequality(store: Store, req: InequalityRequest): Promise<InequalityReport> {
  if (!Number.isInteger(req.year))
    throw invalid(`must be a four-digit year, got ${req.year}`, { field: 'year' });
  const key = await seriesKey(store, req.indicator);
  const wkey = await seriesKey(store, req.weight ?? POPULATION);
  await requireData(store, key, [req.year], 0, 'indicator');
  await requireData(store, wkey, [req.year], 0, 'weight');
  const [universe] = await resolveGroups(store, [req.group ?? 'WORLD']);
  const members = await membersAt(store, universe!, req.year);
  if (members.length === 0)
    throw invalid(`group ${universe} has no members on ${req.year}-07-01`, { field: 'group' });
  const rows = await countryValues(store, members, [key, wkey], req.year);
  const points: WeightedValue[] = [];
  const cov = rows.map((r) => {
    const v = r.values[0] ?? null;
    const w = r.values[1] ?? null;
    const ok = v !== null && w !== null && w > 0;
    if (ok) points.push({ geo: r.geo, value: v, weight: w });
    return { geo: r.geo, hasData: ok, weight: w };
  });
  const coverage = coverageOf(cov);
  if (points.length < 2)
    throw invalid(
      `only ${points.length} countries of ${universe} have ${seriesLabel(key)} and a weight in ${req.year}`,
      {
        field: 'indicator',
      },
    );
  const d = dispersion(points);
  let qr: number | null = null;
  try {
    qr = quintileRatio(points).ratio;
  } catch {
    qr = null; // bottom quintile mean 0: undefined
  }
  let decomposition: InequalityValue['decomposition'] = null;
  if (req.by) {
    const codes = await resolveGroups(
      store,
      GROUPINGS[req.by.toLowerCase()] ?? req.by.split(',').map((s) => s.trim()),
    );
    const groupOf = new Map<string, string>();
    for (const g of codes) {
      for (const geo of await membersAt(store, g, req.year)) {
        const prev = groupOf.get(geo);
        if (prev !== undefined && prev !== g)
          throw invalid(`grouping '${req.by}' is not a partition: ${geo} is in both ${prev} and ${g}`, {
            field: 'by',
          });
        groupOf.set(geo, g);
      }
    }
    const inGrouping = points.filter((p) => groupOf.has(p.geo));
    const unclassified = points.filter((p) => !groupOf.has(p.geo)).map((p) => p.geo);
    if (inGrouping.length === 0)
      throw invalid(`no country with data belongs to grouping '${req.by}'`, { field: 'by' });
    const used = new Set(inGrouping.map((p) => p.geo));
    decomposition = {
      ...theilDecomposition(inGrouping, (g) => groupOf.get(g)),
      grouping: codes.join(','),
      unclassified,
      coverage: coverageOf(cov.map((m) => ({ ...m, hasData: used.has(m.geo) }))),
    };
  }
  const method: MethodInfo = {
    name: 'between-country-inequality',
    formula: `${GINI_FORMULA}; ${THEIL_FORMULA}; CV = sd/mean (population sd); top/bottom population quintile ratio`,
    source: 'Gini; Theil (1967); Williamson (1965); see docs/methodology.md 3.8',
    params: {
      indicator: seriesLabel(key),
      weight: seriesLabel(wkey),
      universe: universe!,
      by: req.by ?? null,
      membership: `${req.year}-07-01`,
    },
  };
  return {
    indicator: key.code,
    year: req.year,
    universe: universe!,
    value: {
      countries: points.length,
      mean: d.mean,
      gini: gini(points),
      theil: theil(points),
      cv: d.cv,
      cvUnweighted: dispersion(unweighted(points)).cv,
      quintileRatio: qr,
      decomposition,
    },
    method,
    coverage,
    sources: await sourcesFor(store, [key, wkey], req.year, req.year),
  };
}
