/**
 * Periods are ISO-like strings: `2019` (year), `2019-Q1`, `2019-S1`, `2019-01` (month),
 * `2019-01-18` (day). `yearOf` gives the calendar year used for group membership and aggregates.
 */
export const PERIOD_PATTERN = /^(\d{4})(-Q[1-4]|-S[12]|-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export function isPeriod(s: string): boolean {
  return PERIOD_PATTERN.test(s);
}

export function yearOf(period: string): number {
  return Number.parseInt(period.slice(0, 4), 10);
}
