/**
 * Convergence across countries over a period.
 *
 * Sigma convergence: dispersion falls over time. For each year the coefficient of variation
 * (population-weighted, or unweighted with weight 1) is computed over a balanced panel (only
 * countries with data in every year, so that the set does not change), and its linear trend over
 * the years is fitted by OLS: a negative slope is sigma convergence.
 *
 * Beta convergence (Barro and Sala-i-Martin 1992): countries that start lower grow faster. OLS of
 * the average annual log growth on the initial log level,
 *
 *   g_i = ln(x_i,T / x_i,0) / (T − 0) = α + β ln(x_i,0) + ε_i,
 *
 * with slope, standard error, t, two-sided p (n − 2 df) and n; β < 0 (and significant) is beta
 * convergence. The implied speed is λ = −ln(1 + β·(T − 0)) / (T − 0) when 1 + β(T − 0) > 0.
 * Values must be positive (logs).
 */
import { invalid } from '../core/errors.ts';
import { requireYear } from './guards.ts';
import { type LinearFit, linearFit } from './regression.ts';
import { dispersion } from './variation.ts';
import type { WeightedValue } from './weighted.ts';

export interface SigmaConvergence {
  years: number[];
  cv: number[];
  countries: string[];
  weighted: boolean;
  trend: LinearFit | null;
  converging: boolean | null;
}

/** panel: year → countries' values and weights for that year. */
export function sigmaConvergence(
  panel: Readonly<Record<number, readonly WeightedValue[]>>,
  opts: { weighted?: boolean } = {},
): SigmaConvergence {
  const years = Object.keys(panel)
    .map(Number)
    .sort((a, b) => a - b);
  if (years.length < 2)
    throw invalid(`sigma convergence needs at least 2 years, got ${years.length}`, { field: 'years' });
  for (const y of years) requireYear(y, 'year');
  const sets = years.map((y) => new Set(panel[y]!.map((p) => p.geo)));
  const countries = [...sets[0]!].filter((g) => sets.every((s) => s.has(g))).sort();
  if (countries.length < 2) {
    throw invalid(`only ${countries.length} countries have data in every year of the period`, {
      field: 'values',
    });
  }
  const keep = new Set(countries);
  const weighted = opts.weighted ?? true;
  const cv = years.map(
    (y) =>
      dispersion(
        panel[y]!.filter((p) => keep.has(p.geo)).map((p) => ({
          geo: p.geo,
          value: p.value,
          weight: weighted ? p.weight : 1,
        })),
      ).cv,
  );
  const trend = linearFit(years, cv);
  return { years, cv, countries, weighted, trend, converging: trend.slope < 0 };
}

export interface BetaConvergence extends LinearFit {
  startYear: number;
  endYear: number;
  countries: string[];
  /** λ, null when 1 + β·T ≤ 0 */
  speed: number | null;
  converging: boolean;
}

export function betaConvergence(
  start: { year: number; values: ReadonlyArray<{ geo: string; value: number }> },
  end: { year: number; values: ReadonlyArray<{ geo: string; value: number }> },
): BetaConvergence {
  requireYear(start.year, 'startYear');
  requireYear(end.year, 'endYear');
  const span = end.year - start.year;
  if (span <= 0)
    throw invalid(`the end year ${end.year} must be after the start year ${start.year}`, {
      field: 'endYear',
    });
  const endBy = new Map(end.values.map((v) => [v.geo, v.value]));
  const x: number[] = [];
  const y: number[] = [];
  const countries: string[] = [];
  for (const s of [...start.values].sort((a, b) => (a.geo < b.geo ? -1 : a.geo > b.geo ? 1 : 0))) {
    const e = endBy.get(s.geo);
    if (e === undefined) continue;
    if (!(s.value > 0 && e > 0)) {
      throw invalid(`values must be positive for log growth, got ${s.value} → ${e}`, {
        field: `value (${s.geo})`,
      });
    }
    x.push(Math.log(s.value));
    y.push(Math.log(e / s.value) / span);
    countries.push(s.geo);
  }
  if (x.length < 3)
    throw invalid(`beta convergence needs at least 3 countries with both years, got ${x.length}`, {
      field: 'values',
    });
  const fit = linearFit(x, y);
  const k = 1 + fit.slope * span;
  return {
    ...fit,
    startYear: start.year,
    endYear: end.year,
    countries,
    speed: k > 0 ? -Math.log(k) / span : null,
    converging: fit.slope < 0,
  };
}
