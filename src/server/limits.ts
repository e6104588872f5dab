/** Bounds on what one request may ask for. */
export interface Limits {
  /** Rows a page may hold (limit=…). */
  maxLimit: number;
  /** Default page size. */
  defaultLimit: number;
  /** Rows a series query may match before paging (narrow the query beyond this). */
  maxRows: number;
  /** Countries in geo=…. */
  maxGeos: number;
  /** Groups in group=…. */
  maxGroups: number;
  /** Years in year=…. */
  maxYears: number;
  /** Indicators in indicator=… (aggregates). */
  maxIndicators: number;
  /** Per-call time limit (ms). */
  timeoutMs: number;
  /** Calls waiting for the store. */
  maxPending: number;
  /** Monte Carlo runs of an index audit served by the API. */
  auditRuns: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLimit: 10_000,
  defaultLimit: 1_000,
  maxRows: 100_000,
  maxGeos: 50,
  maxGroups: 20,
  maxYears: 60,
  maxIndicators: 10,
  timeoutMs: 10_000,
  maxPending: 64,
  auditRuns: 1_000,
};
