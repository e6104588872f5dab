/**
 * Gap-filling for one country's yearly series, always flagged. Two helpers:
 *
 *   nearestYear    the observation closest in time to the target year, at most `window` years
 *                  away; on a tie (one year before and one after) the earlier year is used, since
 *                  it was published and is less likely to be revised.
 *   interpolate    linear interpolation between the nearest observations before and after the
 *                  target year, each at most `window` years away; never extrapolates.
 *
 * `fill` applies one of them (or interpolation, then nearest year as a fallback) to a panel.
 */
import { invalid } from '../core/errors.ts';
import { isNumber, requireYear } from './guards.ts';

export interface YearValue {
  year: number;
  value: number;
}

export type FillMethod = 'none' | 'nearest' | 'linear' | 'linear-then-nearest';

export interface FilledValue {
  year: number;
  value: number;
  /** True when the value was not observed in `year`. */
  filled: boolean;
  how: 'observed' | 'nearest' | 'linear';
  /** The observed years the value comes from. */
  sourceYears: number[];
}

function clean(series: readonly YearValue[]): YearValue[] {
  const seen = new Set<number>();
  const out: YearValue[] = [];
  for (const p of series) {
    if (!Number.isInteger(p.year)) throw invalid(`year must be an integer, got ${p.year}`, { field: 'year' });
    if (!isNumber(p.value)) continue;
    if (seen.has(p.year)) throw invalid(`two values for year ${p.year}`, { field: 'year' });
    seen.add(p.year);
    out.push(p);
  }
  return out.sort((a, b) => a.year - b.year);
}

function requireWindow(window: number): void {
  if (!Number.isInteger(window) || window < 0) {
    throw invalid(`must be a non-negative integer number of years, got ${window}`, { field: 'window' });
  }
}

function observed(s: readonly YearValue[], year: number): FilledValue | null {
  const hit = s.find((p) => p.year === year);
  return hit ? { year, value: hit.value, filled: false, how: 'observed', sourceYears: [year] } : null;
}

export function nearestYear(series: readonly YearValue[], year: number, window: number): FilledValue | null {
  requireYear(year, 'year');
  requireWindow(window);
  const s = clean(series);
  const obs = observed(s, year);
  if (obs) return obs;
  let best: YearValue | null = null;
  for (const p of s) {
    const d = Math.abs(p.year - year);
    if (d > window) continue;
    // Strictly closer wins; on equal distance the earlier year (visited first) is kept.
    if (best === null || d < Math.abs(best.year - year)) best = p;
  }
  return best ? { year, value: best.value, filled: true, how: 'nearest', sourceYears: [best.year] } : null;
}

export function interpolate(series: readonly YearValue[], year: number, window: number): FilledValue | null {
  requireYear(year, 'year');
  requireWindow(window);
  const s = clean(series);
  const obs = observed(s, year);
  if (obs) return obs;
  let before: YearValue | null = null;
  let after: YearValue | null = null;
  for (const p of s) {
    if (p.year < year) before = p;
    else if (p.year > year && after === null) after = p;
  }
  if (!before || !after) return null;
  if (year - before.year > window || after.year - year > window) return null;
  const t = (year - before.year) / (after.year - before.year);
  return {
    year,
    value: before.value + t * (after.value - before.value),
    filled: true,
    how: 'linear',
    sourceYears: [before.year, after.year],
  };
}

export function fillValue(
  series: readonly YearValue[],
  year: number,
  method: FillMethod,
  window: number,
): FilledValue | null {
  switch (method) {
    case 'none':
      return observed(clean(series), year);
    case 'nearest':
      return nearestYear(series, year, window);
    case 'linear':
      return interpolate(series, year, window);
    case 'linear-then-nearest':
      return interpolate(series, year, window) ?? nearestYear(series, year, window);
    default:
      throw invalid(`unknown fill method '${String(method)}'`, { field: 'fill' });
  }
}

/** Fill every country of a panel for one year; countries with nothing within reach are left out. */
export function fillPanel(
  panel: Readonly<Record<string, readonly YearValue[]>>,
  year: number,
  method: FillMethod,
  window: number,
): Array<FilledValue & { geo: string }> {
  const out: Array<FilledValue & { geo: string }> = [];
  for (const geo of Object.keys(panel).sort()) {
    const f = fillValue(panel[geo]!, year, method, window);
    if (f) out.push({ geo, ...f });
  }
  return out;
}
