/**
 * Progress towards a target by 2030, following the method of the UN Economic and Social Commission
 * for Asia and the Pacific (ESCAP, Asia and the Pacific SDG Progress Report, Annex 1 "Technical
 * notes – methodology to measure progress"; data.unescap.org progress-assessment methodology),
 * used by all five UN regional commissions.
 *
 * Current Status Index (how much progress since the 2015 baseline, relative to the progress
 * needed to reach the target):
 *
 *   CSI = (I_cy − I_2015) / (TV − I_2015)                       higher or lower is better
 *   CSI = 1 − |TV − I_cy| / |TV − I_2015|                       parity (exact target) indicators
 *
 * compared with the share of the 2015–2030 period elapsed, (cy − 2015) / (2030 − 2015).
 *
 * Anticipated Progress Index (how much of the required progress will have been made by 2030 if the
 * trend continues): the annual growth rate r is estimated by a time-weighted log-linear regression
 * over the observations since `fitFrom` (default 2000), the latest value is projected,
 * Î_2030 = I_cy (1 + r)^(2030 − cy), and
 *
 *   API = (Î_2030 − I_2015) / (TV − I_2015)      (parity: 1 − |TV − Î_2030| / |TV − I_2015|)
 *
 * For a target year already past, only data up to the target year are used (the API is then the
 * share of the required progress achieved by the target year).
 *
 * Classification (thresholds are parameters): API ≥ 1 'on-track' (the target will be reached),
 * API < 0 'regression' (the indicator is moving away from the target: the trend must be reversed),
 * otherwise 'acceleration-needed'. The progress gap is 1 − API: the projected shortfall relative to
 * the progress required between 2015 and 2030.
 */
import { invalid } from '../core/errors.ts';
import { nearestYear, type YearValue } from './gap-fill.ts';
import { isNumber, requireFinite, requireYear } from './guards.ts';
import { logLinearGrowth, type TrendWeighting } from './trend.ts';

export const ESCAP_SOURCE =
  'ESCAP, Asia and the Pacific SDG Progress Report, Annex 1: Technical notes – methodology to measure progress; https://data.unescap.org/resource-guides/progress-assessment-methodology';

/** 1: higher is better; -1: lower is better; 0: parity (the target value itself, from either side). */
export type TargetDirection = 1 | -1 | 0;

export interface ProgressOptions {
  target: number;
  direction: TargetDirection;
  baselineYear?: number;
  targetYear?: number;
  /** Years either side of the baseline year a baseline value may come from. Default 3. */
  baselineWindow?: number;
  /** First year of the trend fit. Default 2000. */
  fitFrom?: number;
  weighting?: TrendWeighting;
  thresholds?: { onTrack: number; regression: number };
  /**
   * Parity targets only: a value within ±tolerance of the target counts as reaching it (ITU's
   * gender parity band 0.98–1.02 is tolerance 0.02 around 1). Default 0.
   */
  tolerance?: number;
}

export const DEFAULT_THRESHOLDS = Object.freeze({ onTrack: 1, regression: 0 });

interface Point {
  year: number;
  value: number;
  filled: boolean;
}

export interface CurrentStatus {
  baseline: Point;
  current: Point;
  /** null when the target was already met at the baseline. */
  csi: number | null;
  /** Share of the baseline-to-target-year period elapsed by the current year. */
  expectedToDate: number;
  /** csi ≥ expectedToDate; null when csi is null. */
  onSchedule: boolean | null;
  metAtBaseline: boolean;
}

export type ProgressClass = 'on-track' | 'acceleration-needed' | 'regression';

export interface AnticipatedProgress {
  baseline: Point;
  latest: Point;
  rate: number;
  weighting: TrendWeighting;
  fitYears: number[];
  projected: number;
  /** null when the target was met at baseline (then the class says whether it stays met). */
  api: number | null;
  /** 1 − api */
  gap: number | null;
  /** CAGR needed from the latest value to reach the target by the target year (null if undefined). */
  requiredRate: number | null;
  classification: ProgressClass;
}

function settings(o: ProgressOptions) {
  requireFinite(o.target, 'target');
  if (o.direction !== 1 && o.direction !== -1 && o.direction !== 0) {
    throw invalid(`must be 1, -1 or 0, got ${String(o.direction)}`, { field: 'direction' });
  }
  const baselineYear = requireYear(o.baselineYear ?? 2015, 'baselineYear');
  const targetYear = requireYear(o.targetYear ?? 2030, 'targetYear');
  if (targetYear <= baselineYear) {
    throw invalid(`the target year ${targetYear} must be after the baseline year ${baselineYear}`, {
      field: 'targetYear',
    });
  }
  const thresholds = o.thresholds ?? DEFAULT_THRESHOLDS;
  if (!(thresholds.regression <= thresholds.onTrack)) {
    throw invalid('the regression threshold must not exceed the on-track threshold', { field: 'thresholds' });
  }
  const tolerance = o.tolerance ?? 0;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw invalid(`must be a non-negative number, got ${tolerance}`, { field: 'tolerance' });
  }
  if (tolerance > 0 && o.direction !== 0) {
    throw invalid('a tolerance applies to parity targets (direction 0) only', { field: 'tolerance' });
  }
  return {
    target: o.target,
    direction: o.direction,
    baselineYear,
    targetYear,
    tolerance,
    window: o.baselineWindow ?? 3,
    fitFrom: requireYear(o.fitFrom ?? 2000, 'fitFrom'),
    weighting: o.weighting ?? 'time',
    thresholds,
  };
}

function cleanSeries(series: readonly YearValue[]): YearValue[] {
  return series.filter((p) => isNumber(p.value)).sort((a, b) => a.year - b.year);
}

function baselineOf(s: YearValue[], year: number, window: number): Point {
  const b = nearestYear(s, year, window);
  if (!b)
    throw invalid(`no value within ${window} years of the baseline year ${year}`, { field: 'baseline' });
  return { year: b.sourceYears[0]!, value: b.value, filled: b.filled };
}

function latestAfter(s: YearValue[], baseline: Point): Point {
  const last = s[s.length - 1]!;
  if (last.year <= baseline.year) {
    throw invalid(`no observation after the baseline (${baseline.year}): progress cannot be measured`, {
      field: 'series',
    });
  }
  return { year: last.year, value: last.value, filled: false };
}

/** Progress made relative to progress required, with the parity form for direction 0. */
function progressRatio(
  value: number,
  base: number,
  target: number,
  direction: TargetDirection,
): number | null {
  if (direction === 0) {
    const need = Math.abs(target - base);
    return need === 0 ? null : 1 - Math.abs(target - value) / need;
  }
  const need = target - base;
  if (need * direction <= 0) return null; // met (or passed) at baseline
  return (value - base) / need;
}

function meets(value: number, target: number, direction: TargetDirection, tolerance: number): boolean {
  if (direction === 0) return Math.abs(value - target) <= tolerance;
  return direction * (value - target) >= 0;
}

export function currentStatusIndex(series: readonly YearValue[], options: ProgressOptions): CurrentStatus {
  const o = settings(options);
  const s = cleanSeries(series);
  const baseline = baselineOf(s, o.baselineYear, o.window);
  const current = latestAfter(s, baseline);
  const metAtBaseline = o.direction === 0 && meets(baseline.value, o.target, 0, o.tolerance);
  const csi = metAtBaseline ? null : progressRatio(current.value, baseline.value, o.target, o.direction);
  const expectedToDate = Math.min(1, (current.year - o.baselineYear) / (o.targetYear - o.baselineYear));
  return {
    baseline,
    current,
    csi,
    expectedToDate,
    onSchedule: csi === null ? null : csi >= expectedToDate,
    metAtBaseline: csi === null,
  };
}

export function anticipatedProgress(
  series: readonly YearValue[],
  options: ProgressOptions,
): AnticipatedProgress {
  const o = settings(options);
  // For a target year already past, judge with the data up to the target year: the projection then
  // starts from the value observed closest before (or in) the target year.
  const s = cleanSeries(series).filter((p) => p.year <= o.targetYear);
  if (s.length === 0)
    throw invalid(`no observation up to the target year ${o.targetYear}`, { field: 'series' });
  const baseline = baselineOf(s, o.baselineYear, o.window);
  const latest = latestAfter(s, baseline);
  const fitPts = s.filter((p) => p.year >= o.fitFrom);
  const trend = logLinearGrowth(fitPts, o.weighting);
  const horizon = o.targetYear - latest.year;
  const projected = latest.value * (1 + trend.rate) ** horizon;
  const metAtBaseline = o.direction === 0 && meets(baseline.value, o.target, 0, o.tolerance);
  const api = metAtBaseline ? null : progressRatio(projected, baseline.value, o.target, o.direction);
  let classification: ProgressClass;
  if (api === null) {
    classification = meets(projected, o.target, o.direction, o.tolerance) ? 'on-track' : 'regression';
  } else if (
    api >= o.thresholds.onTrack ||
    (o.direction === 0 && meets(projected, o.target, 0, o.tolerance))
  ) {
    classification = 'on-track';
  } else if (api < o.thresholds.regression) classification = 'regression';
  else classification = 'acceleration-needed';
  const requiredRate =
    horizon > 0 && o.target > 0 && latest.value > 0 ? (o.target / latest.value) ** (1 / horizon) - 1 : null;
  return {
    baseline,
    latest,
    rate: trend.rate,
    weighting: trend.weighting,
    fitYears: trend.years,
    projected,
    api,
    gap: api === null ? null : 1 - api,
    requiredRate,
    classification,
  };
}
