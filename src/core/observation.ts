import type { Dimension } from './dimensions.ts';

/**
 * An observation as a reader found it: strings, not yet validated. The store validates every
 * field (numeric value, known geography, period syntax, dimension codes, duplicate keys) in one
 * place, so each reader only has to understand its format's layout.
 */
export interface RawObservation {
  /** 1-based line (or record) number in the source file, for error reports. */
  line: number;
  indicator: string;
  /** ISO 3166-1 alpha-3, alpha-2 or M49 numeric code, as the source wrote it. */
  geo: string;
  period: string;
  /** The number as text; the store parses it. */
  value: string;
  sex?: string;
  area?: string;
  age?: string;
  quintile?: string;
  /** Any other dimension, e.g. { TYPE_OF_SPEED: '10MBPS' }. */
  breakdown?: Record<string, string>;
  /** Observation status flags, SDMX OBS_STATUS codes where possible: E estimate, P provisional, I imputed. */
  flags?: string;
  unit?: string;
}

/** A validated observation as stored. */
export interface Observation {
  indicator: string;
  geo: string; // ISO3
  period: string;
  year: number;
  sex: string;
  area: string;
  age: string;
  quintile: string;
  breakdown: string; // '_T' or 'KEY=VAL;KEY2=VAL2' sorted by key
  value: number;
  flags: string | null;
  dataset: number;
}

export type DimensionFilter = Partial<Record<Dimension | 'breakdown', string>>;
