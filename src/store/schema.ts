/**
 * The DuckDB schema of the observatory store. One row of `observations` is one number.
 * There is deliberately no primary-key index on observations: DuckDB's ART indexes slow bulk
 * loads several-fold, and uniqueness per dataset is enforced by the load (see load.ts).
 */
export const SCHEMA_VERSION = '1';

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

CREATE TABLE IF NOT EXISTS observations (
  indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL, period VARCHAR NOT NULL, year SMALLINT NOT NULL,
  sex VARCHAR NOT NULL, area VARCHAR NOT NULL, age VARCHAR NOT NULL, quintile VARCHAR NOT NULL,
  breakdown VARCHAR NOT NULL, value DOUBLE NOT NULL, flags VARCHAR, dataset INTEGER NOT NULL,
  -- TRUE once a later dataset brought a value for the same key (a revision).
  superseded BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS sdg_names (kind VARCHAR, code VARCHAR, lang VARCHAR, title VARCHAR);

-- The observations in force: the latest loaded value for each key.
CREATE OR REPLACE VIEW obs AS SELECT * EXCLUDE (superseded) FROM observations WHERE NOT superseded;
`;

export const OBS_KEY = ['indicator', 'geo', 'period', 'sex', 'area', 'age', 'quintile', 'breakdown'] as const;
