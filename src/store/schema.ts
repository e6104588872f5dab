/**
 * The DuckDB schema of the observatory store. One row of `obs_rows` or `obs_plain` is one number; the
 * views `observations` (all vintages) and `obs` (the values in force) are what queries read. The
 * schema only grows (tables created if missing, views replaced), so a store of an earlier release
 * is brought up to date when it is opened for writing.
 * There is deliberately no primary-key index on observations: DuckDB's ART indexes slow bulk
 * loads several-fold, and uniqueness per dataset is enforced by the load (see load.ts).
 */
import { DIMENSIONS } from '../core/dimensions.ts';

export const SCHEMA_VERSION = '2';

type ObsTable = 'obs_rows' | 'obs_plain';
/** The key columns after indicator, geography and period: the dimensions and the breakdown. */
export const KEY_DIMENSIONS = [...DIMENSIONS, 'breakdown'] as const;

/**
 * A row's period as the views show it: obs_rows keeps a sub-annual period as written and an annual
 * one as NULL; obs_plain holds years only. `o` is the table's alias in the query ('' for none).
 */
export function canonicalPeriod(table: ObsTable, o = ''): string {
  const p = o ? `${o}.` : '';
  const year = `lpad(CAST(${p}year AS VARCHAR), 4, '0')`;
  return table === 'obs_rows' ? `coalesce(${p}period, ${year})` : year;
}

/** A dimension (or breakdown) as the views show it: '_T' for a total, stored as NULL or absent. */
export function canonicalDimension(table: ObsTable, d: (typeof KEY_DIMENSIONS)[number], o = ''): string {
  return table === 'obs_rows' ? `coalesce(${o ? `${o}.` : ''}${d}, '_T')` : "'_T'";
}

const canonical = (table: ObsTable) =>
  [
    'indicator',
    'geo',
    `${canonicalPeriod(table)} AS period`,
    'year',
    ...KEY_DIMENSIONS.map((d) => `${canonicalDimension(table, d)} AS ${d}`),
    'value',
    table === 'obs_rows' ? 'flags' : 'CAST(NULL AS VARCHAR) AS flags',
    'dataset',
  ].join(', ');
const CANONICAL = canonical('obs_rows');
/** The same columns for obs_plain, whose rows are annual totals without flags. */
const CANONICAL_PLAIN = canonical('obs_plain');

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS geos (
  iso3 VARCHAR PRIMARY KEY, iso2 VARCHAR, m49 VARCHAR,
  name_ar VARCHAR, name_zh VARCHAR, name_en VARCHAR, name_fr VARCHAR, name_ru VARCHAR, name_es VARCHAR,
  region_code VARCHAR, subregion_code VARCHAR, intermediate_region_code VARCHAR
);

-- Every code a source may use for a geography (ISO3, ISO2, M49 with and without padding,
-- legacy codes such as ITU's WBG), upper case, mapped to ISO3.
CREATE TABLE IF NOT EXISTS geo_aliases (code VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS regions (
  m49 VARCHAR PRIMARY KEY, level VARCHAR,
  name_ar VARCHAR, name_zh VARCHAR, name_en VARCHAR, name_fr VARCHAR, name_ru VARCHAR, name_es VARCHAR
);

CREATE TABLE IF NOT EXISTS groups (
  code VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL,
  name_ar VARCHAR, name_zh VARCHAR, name_en VARCHAR, name_fr VARCHAR, name_ru VARCHAR, name_es VARCHAR,
  source VARCHAR, note VARCHAR
);

-- Membership valid on [valid_from, valid_to); NULL = open-ended.
CREATE TABLE IF NOT EXISTS memberships (
  group_code VARCHAR NOT NULL, geo VARCHAR NOT NULL, valid_from DATE, valid_to DATE, source VARCHAR
);

CREATE TABLE IF NOT EXISTS indicators (
  code VARCHAR PRIMARY KEY,
  name_ar VARCHAR, name_zh VARCHAR, name_en VARCHAR, name_fr VARCHAR, name_ru VARCHAR, name_es VARCHAR,
  unit VARCHAR, direction TINYINT NOT NULL DEFAULT 1, sdg VARCHAR[], source VARCHAR, licence VARCHAR,
  definition VARCHAR,
  -- A source code that is a breakdown of another indicator (WDI IT.NET.USER.FE.ZS is
  -- IT.NET.USER.ZS for sex = F): its observations are stored under breakdown_of with these dimensions.
  breakdown_of VARCHAR, sex VARCHAR, area VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS dataset_id START 1;

CREATE TABLE IF NOT EXISTS datasets (
  id INTEGER PRIMARY KEY, source VARCHAR, file VARCHAR NOT NULL, format VARCHAR NOT NULL,
  checksum VARCHAR NOT NULL, vintage VARCHAR, licence VARCHAR, retrieved VARCHAR, url VARCHAR,
  loaded_at TIMESTAMP NOT NULL, rows BIGINT NOT NULL, rejected BIGINT NOT NULL, missing BIGINT NOT NULL
);

-- Observation rows as stored. To keep bulk loads cheap, totals and annual periods are stored as
-- NULL (DuckDB writes a NULL column for almost nothing, a column of '_T' strings is costly):
-- period is NULL when the period is the year itself, a dimension is NULL when it is the total.
-- Read observations through the views below, which give every column its canonical value.
CREATE TABLE IF NOT EXISTS obs_rows (
  indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL, year SMALLINT NOT NULL, period VARCHAR,
  sex VARCHAR, area VARCHAR, age VARCHAR, quintile VARCHAR, breakdown VARCHAR,
  value DOUBLE NOT NULL, flags VARCHAR, dataset INTEGER NOT NULL,
  -- TRUE once a later dataset brought a value for the same key (a revision).
  superseded BOOLEAN NOT NULL DEFAULT FALSE
);

-- Annual totals without flags, the shape of most large files, as the bulk load writes them: six
-- columns instead of thirteen (writing the seven all-NULL columns of obs_rows took a third of a
-- 10-million-row load). Read through the same views; a row is in one table or the other.
CREATE TABLE IF NOT EXISTS obs_plain (
  indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL, year SMALLINT NOT NULL, value DOUBLE NOT NULL,
  dataset INTEGER NOT NULL, superseded BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS sdg_names (kind VARCHAR, code VARCHAR, lang VARCHAR, title VARCHAR);

-- Every observation ever loaded, with canonical values ('_T' for totals, period as written), and
-- (obs) the observations in force. Both read the tables directly: a view on a view does not survive
-- EXPORT / IMPORT DATABASE, which restores views in name order.
CREATE OR REPLACE VIEW observations AS
  SELECT ${CANONICAL}, superseded FROM obs_rows
  UNION ALL SELECT ${CANONICAL_PLAIN}, superseded FROM obs_plain;
CREATE OR REPLACE VIEW obs AS
  SELECT ${CANONICAL} FROM obs_rows WHERE NOT superseded
  UNION ALL SELECT ${CANONICAL_PLAIN} FROM obs_plain WHERE NOT superseded;
`;

export const OBS_KEY = ['indicator', 'geo', 'period', 'sex', 'area', 'age', 'quintile', 'breakdown'] as const;
