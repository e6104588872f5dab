/**
 * SDMX-style observation dimensions. Codes follow the SDG data structure (IAEG-SDGs:SDG 1.4):
 * SEX (_T, F, M), URBANISATION (_T, U, R), AGE (e.g. Y15T24), INCOME_WEALTH_QUANTILE (_T, Q1..Q5).
 * `_T` means total / no breakdown.
 */

export const TOTAL = '_T';

export const DIMENSIONS = ['sex', 'area', 'age', 'quintile'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The SDMX concept behind each Pontis dimension column. */
export const SDMX_CONCEPT: Record<Dimension, string> = {
  sex: 'SEX',
  area: 'URBANISATION',
  age: 'AGE',
  quintile: 'INCOME_WEALTH_QUANTILE',
};

const SEX_ALIASES: Record<string, string> = {
  _t: '_T',
  t: '_T',
  total: '_T',
  bothsex: '_T',
  both: '_T',
  all: '_T',
  f: 'F',
  female: 'F',
  females: 'F',
  women: 'F',
  m: 'M',
  male: 'M',
  males: 'M',
  men: 'M',
};

const AREA_ALIASES: Record<string, string> = {
  _t: '_T',
  t: '_T',
  total: '_T',
  all: '_T',
  allarea: '_T',
  u: 'U',
  urban: 'U',
  r: 'R',
  rural: 'R',
};

/**
 * Normalise a dimension value to its SDMX code. Empty means total.
 * Returns undefined when the value is not a known code for that dimension.
 */
export function normaliseDimension(dim: Dimension, raw: string | undefined | null): string | undefined {
  const v = (raw ?? '').trim();
  if (v === '') return TOTAL;
  const k = v.toLowerCase();
  switch (dim) {
    case 'sex':
      return SEX_ALIASES[k];
    case 'area':
      return AREA_ALIASES[k];
    case 'quintile': {
      if (k === '_t' || k === 'total' || k === 'all') return TOTAL;
      const m = /^q([1-5])$/.exec(k);
      return m ? `Q${m[1]}` : undefined;
    }
    case 'age':
      if (k === '_t' || k === 'total' || k === 'all') return TOTAL;
      // SDG AGE codes: Y15T24, Y_GE15, Y_LT5, M0, ...
      return /^(Y|M)[0-9A-Z_]+$/.test(v) ? v : undefined;
  }
}
