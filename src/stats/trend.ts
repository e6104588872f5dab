/**
 * Growth over time.
 *
 *   CAGR = (x_end / x_start)^(1 / (t_end − t_start)) − 1
 *
 * and the log-linear growth rate of a series, ln x_t = a + b t fitted by (time-weighted) least
 * squares, rate = e^b − 1. "time" weights give observation t the weight t − t_first + 1, so the
 * latest years count most (the ESCAP method's time-weighted regression; see progress.ts).
 */
import { invalid } from '../core/errors.ts';
import type { YearValue } from './gap-fill.ts';
import { isNumber, requireNonNegative, requirePositive } from './guards.ts';
import { type LinearFit, linearFit } from './regression.ts';

export function cagr(start: number, end: number, years: number): number {
  requirePositive(start, 'start');
  requireNonNegative(end, 'end');
  requirePositive(years, 'years');
  return (end / start) ** (1 / years) - 1;
}

/** CAGR between two observed years of a series. */
export function cagrBetween(series: readonly YearValue[], fromYear: number, toYear: number): number {
  const a = series.find((p) => p.year === fromYear && isNumber(p.value));
  const b = series.find((p) => p.year === toYear && isNumber(p.value));
  if (!a) throw invalid(`no value for ${fromYear}`, { field: 'fromYear' });
  if (!b) throw invalid(`no value for ${toYear}`, { field: 'toYear' });
  return cagr(a.value, b.value, toYear - fromYear);
}

export type TrendWeighting = 'time' | 'none';

export interface GrowthTrend {
  /** e^b − 1: the annual growth rate. */
  rate: number;
  fit: LinearFit;
  weighting: TrendWeighting;
  years: number[];
}

/** Log-linear growth rate of a series (values must be positive). */
export function logLinearGrowth(
  series: readonly YearValue[],
  weighting: TrendWeighting = 'time',
): GrowthTrend {
  const pts = series.filter((p) => isNumber(p.value)).sort((a, b) => a.year - b.year);
  if (pts.length < 2)
    throw invalid(`a trend needs at least 2 observations, got ${pts.length}`, { field: 'series' });
  for (const p of pts) {
    if (p.value <= 0) {
      throw invalid(`values must be positive for a growth rate, got ${p.value} in ${p.year}`, {
        field: 'value',
      });
    }
  }
  const years = pts.map((p) => p.year);
  const first = years[0]!;
  const w = weighting === 'time' ? years.map((y) => y - first + 1) : undefined;
  const fit = linearFit(
    years,
    pts.map((p) => Math.log(p.value)),
    w,
  );
  return { rate: Math.exp(fit.slope) - 1, fit, weighting, years };
}
