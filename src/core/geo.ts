import type { Names } from './indicator.ts';

export interface Geo {
  iso3: string;
  iso2: string | null;
  /** M49 numeric code, 3 digits zero-padded. */
  m49: string | null;
  names: Names;
  regionCode: string | null;
  subregionCode: string | null;
  intermediateRegionCode: string | null;
}

export interface Group {
  code: string;
  names: Names;
  kind: 'world' | 'm49-region' | 'm49-subregion' | 'm49-intermediate' | 'development' | 'income' | 'custom';
  source: string | null;
}

/** Membership valid on [validFrom, validTo) dates; null means open-ended. */
export interface Membership {
  group: string;
  geo: string;
  validFrom: string | null; // ISO date
  validTo: string | null; // ISO date, exclusive
}

/** Membership for a data year is evaluated at mid-year (1 July), as UN population estimates are. */
export function referenceDate(year: number): string {
  return `${String(year).padStart(4, '0')}-07-01`;
}
