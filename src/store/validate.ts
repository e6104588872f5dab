/**
 * Row validation, in SQL, for every format: a reader only lays out raw strings; this turns them
 * into typed observations and says, per row, the first field that is wrong and why.
 * Keeping it in one place means every format gets the same rules and the same messages.
 */
import { DIMENSIONS, type Dimension, normaliseDimension } from '../core/dimensions.ts';
import { PERIOD_PATTERN } from '../core/period.ts';

export const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Known spellings of each dimension's codes, generated from core/dimensions.ts (one source of truth). */
const SPELLINGS: Record<Dimension, string[]> = {
  sex: [
    '_t',
    't',
    'total',
    'bothsex',
    'both',
    'all',
    'f',
    'female',
    'females',
    'women',
    'm',
    'male',
    'males',
    'men',
  ],
  area: ['_t', 't', 'total', 'all', 'allarea', 'u', 'urban', 'r', 'rural'],
  quintile: ['_t', 'total', 'all', 'q1', 'q2', 'q3', 'q4', 'q5'],
  age: [],
};

function dimensionCase(dim: Dimension, expr: string): string {
  if (dim === 'age') {
    return `CASE WHEN ${expr} = '' OR lower(${expr}) IN ('_t', 'total', 'all') THEN '_T'
      WHEN regexp_full_match(${expr}, '(Y|M)[0-9A-Z_]+') THEN ${expr} END`;
  }
  const whens = SPELLINGS[dim]
    .map((s) => `WHEN ${sqlString(s)} THEN ${sqlString(normaliseDimension(dim, s) ?? '')}`)
    .join(' ');
  return `CASE lower(${expr}) WHEN '' THEN '_T' ${whens} END`;
}

const DIM_CODES: Record<Dimension, string> = {
  sex: '_T, F, M',
  area: '_T, U (urban), R (rural)',
  age: '_T or an SDG AGE code such as Y15T24',
  quintile: '_T, Q1…Q5',
};

/**
 * SELECT that validates rows of `source` (a table or subquery with VARCHAR columns line, indicator,
 * geo, period, value, sex, area, age, quintile, breakdown, flags, unit). Output columns: line,
 * indicator, geo, period, year, sex, area, age, quintile, breakdown, value, flags, unit,
 * err_field, err_reason (NULL when the row is valid), raw_value.
 */
export function validationSql(source: string): string {
  const t = (c: string) => `coalesce(trim(${c}), '')`;
  const dims = DIMENSIONS.map((d) => `${dimensionCase(d, `s.${d}_raw`)} AS ${d}_n`).join(',\n    ');
  const period = PERIOD_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');
  const dimErrors = DIMENSIONS.map(
    (d) =>
      `WHEN ${d}_n IS NULL THEN '${d}|unknown ${d} code ' || quote_raw(${d}_raw) || ' (expected ${DIM_CODES[d]})'`,
  ).join('\n      ');
  return `
WITH s AS (
  SELECT line, ${t('indicator')} AS ind_raw, ${t('geo')} AS geo_raw, ${t('period')} AS period_raw,
    ${t('value')} AS value_raw, ${DIMENSIONS.map((d) => `${t(d)} AS ${d}_raw`).join(', ')},
    nullif(${t('breakdown')}, '') AS breakdown_raw, nullif(${t('flags')}, '') AS flags,
    nullif(${t('unit')}, '') AS unit
  FROM ${source}
), n AS (
  SELECT s.*, ga.iso3, ia.breakdown_of, ia.sex AS alias_sex, ia.area AS alias_area,
    TRY_CAST(s.value_raw AS DOUBLE) AS num,
    ${dims}
  FROM s
  LEFT JOIN geo_aliases ga ON ga.code = upper(s.geo_raw)
  LEFT JOIN indicators ia ON ia.code = s.ind_raw AND ia.breakdown_of IS NOT NULL
), v AS (
  SELECT *,
    CASE
      WHEN ind_raw = '' THEN 'indicator|empty indicator code'
      WHEN length(ind_raw) > 100 THEN 'indicator|indicator code longer than 100 characters'
      WHEN geo_raw = '' THEN 'geo|empty country code'
      WHEN iso3 IS NULL THEN 'geo|unknown country code ' || quote_raw(geo_raw) || ' (expected ISO 3166 alpha-3, alpha-2 or M49)'
      WHEN period_raw = '' THEN 'period|empty period'
      WHEN NOT (CASE WHEN length(period_raw) = 4 THEN translate(period_raw, '0123456789', '') = ''
                ELSE regexp_full_match(period_raw, '${period}') END) THEN 'period|invalid period ' || quote_raw(period_raw) || ' (expected YYYY, YYYY-Qn, YYYY-Sn, YYYY-MM or YYYY-MM-DD)'
      WHEN value_raw = '' THEN 'value|empty value'
      WHEN num IS NULL THEN 'value|non-numeric value ' || quote_raw(value_raw)
      WHEN NOT isfinite(num) THEN 'value|value is not a finite number: ' || quote_raw(value_raw)
      ${dimErrors}
      WHEN breakdown_of IS NOT NULL AND alias_sex IS NOT NULL AND sex_n <> '_T' AND sex_n <> alias_sex
        THEN 'sex|indicator ' || ind_raw || ' is the ' || alias_sex || ' breakdown but the row says ' || sex_n
      WHEN breakdown_of IS NOT NULL AND alias_area IS NOT NULL AND area_n <> '_T' AND area_n <> alias_area
        THEN 'area|indicator ' || ind_raw || ' is the ' || alias_area || ' breakdown but the row says ' || area_n
    END AS err
  FROM n
)
SELECT line,
  coalesce(breakdown_of, ind_raw) AS indicator,
  iso3 AS geo,
  period_raw AS period,
  TRY_CAST(substr(period_raw, 1, 4) AS SMALLINT) AS year,
  CASE WHEN breakdown_of IS NOT NULL AND alias_sex IS NOT NULL THEN alias_sex ELSE sex_n END AS sex,
  CASE WHEN breakdown_of IS NOT NULL AND alias_area IS NOT NULL THEN alias_area ELSE area_n END AS area,
  age_n AS age, quintile_n AS quintile,
  coalesce(breakdown_raw, '_T') AS breakdown,
  num AS value, flags, unit,
  split_part(err, '|', 1) AS err_field, nullif(split_part(err, '|', 2), '') AS err_reason,
  value_raw AS raw_value
FROM v`;
}

/** A macro used in messages: the raw text quoted and shortened. */
export const QUOTE_RAW_MACRO = `CREATE OR REPLACE TEMP MACRO quote_raw(x) AS
  '''' || CASE WHEN length(x) > 40 THEN left(x, 40) || '…' ELSE x END || ''''`;

/** What the strict one-pass SQL needs to know about the input. */
export interface StrictSource {
  /** A relation with VARCHAR columns named after the Pontis fields it has. */
  from: string;
  /** Pontis fields present in the input (others are totals / empty). */
  present: ReadonlySet<string>;
  /** SQL expression for the breakdown string, or null when the input has no breakdown columns. */
  breakdown: string | null;
}

/**
 * The per-row part of the fast path for large tidy files (see fastBulkLoad in load.ts). Per row it
 * does only what cannot be done on distinct values: the year is read from the period (a 4-character
 * period must be exactly the year's four digits, which the cast back to text proves), the value must
 * be a finite number (the CSV reader has parsed it as DOUBLE), and a dimension code must be one of
 * the known spellings. Any row failing one of these raises an error, which makes the caller roll the
 * whole insert back and take the full path (it reports the row). Geography codes are written as they
 * are and checked afterwards on the distinct series (a join here would cost more than the checks).
 * Totals and annual periods are stored as NULL (see obs_rows in schema.ts); absent columns cost nothing.
 * A file with no dimension, breakdown or flags column goes into the narrower obs_plain.
 */
/** The error the strict insert raises for a period that is not a 4-digit year (see load.ts). */
export const NOT_A_YEAR = 'period is not a year';

export function strictInsertSql(src: StrictSource, dataset: number, table: 'obs_rows' | 'obs_plain'): string {
  const has = (f: string) => src.present.has(f);
  const dim = (d: Dimension) =>
    has(d)
      ? `nullif(coalesce(${dimensionCase(d, `coalesce(r.${d}, '')`)}, error('unknown ${d} code')), '_T')`
      : 'CAST(NULL AS VARCHAR)';
  const year = `r.y4 >= 1000 AND CAST(r.y4 AS VARCHAR) = r.period THEN r.y4 ELSE error('${NOT_A_YEAR}') END`;
  const value = `CASE WHEN isfinite(r.value) THEN r.value ELSE error('value is not a finite number') END`;
  const from = `FROM (SELECT *, TRY_CAST(period AS SMALLINT) AS y4 FROM ${src.from}) r`;
  // obs_plain holds annual totals only: any other period makes the insert fail (the caller retries
  // into obs_rows).
  if (table === 'obs_plain')
    return `SELECT r.indicator, r.geo, CASE WHEN ${year}, ${value}, ${Math.trunc(dataset)}, FALSE ${from}`;
  return `
SELECT r.indicator, r.geo,
  CASE WHEN length(r.period) <> 4 THEN TRY_CAST(left(r.period, 4) AS SMALLINT) WHEN ${year},
  CASE WHEN length(r.period) <> 4 THEN r.period END,
  ${DIMENSIONS.map((d) => dim(d)).join(', ')},
  ${src.breakdown ? `nullif(${src.breakdown}, '_T')` : 'CAST(NULL AS VARCHAR)'},
  ${value},
  ${has('flags') ? `nullif(r.flags, '')` : 'CAST(NULL AS VARCHAR)'}, ${Math.trunc(dataset)}, FALSE
${from}`;
}
