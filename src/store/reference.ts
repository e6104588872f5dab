/**
 * Reference data: geographies with their codes and UN names, M49 regions, groups and their
 * membership over time, indicator metadata and SDG titles. Loaded from data/ (see
 * data/PROVENANCE.md) in one transaction; custom groups can be added from a CSV.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalid } from '../core/errors.ts';
import { fromRoot } from '../core/paths.ts';
import type { Store } from './store.ts';
import { sqlString } from './validate.ts';

export const DATA_DIR = `${fromRoot('data')}/`;

/** Codes used by sources that are not (or no longer) ISO 3166-1 alpha-3. */
export const LEGACY_GEO_CODES: Record<string, string> = {
  WBG: 'PSE', // ITU: West Bank and Gaza
  ZAR: 'COD', // former ISO code of the Democratic Republic of the Congo
  ROM: 'ROU', // former ISO code of Romania
  TMP: 'TLS', // former ISO code of Timor-Leste
};

function readAll(file: string): string {
  if (!existsSync(file)) throw invalid(`reference file is missing`, { file });
  return `read_csv_auto(${sqlString(file)}, header = true, all_varchar = true)`;
}

export async function loadReference(store: Store, dataDir: string = DATA_DIR): Promise<void> {
  const f = (name: string) => resolve(dataDir, name);
  const { db } = store;
  await db.transaction(async () => {
    for (const t of ['geo_aliases', 'geos', 'regions', 'memberships', 'groups', 'sdg_names'])
      await db.exec(`DELETE FROM ${t}`);

    await db.exec(`INSERT INTO geos (iso3, iso2, m49, name_ar, name_zh, name_en, name_fr, name_ru, name_es,
        region_code, subregion_code, intermediate_region_code)
      SELECT upper(iso3), nullif(iso2, ''), m49, name_ar, name_zh, name_en, name_fr, name_ru, name_es,
        nullif(region_code, ''), nullif(subregion_code, ''), nullif(intermediate_region_code, '')
      FROM ${readAll(f('geos.csv'))}`);
    await db.exec(`INSERT INTO geo_aliases
      SELECT DISTINCT ON (code) code, iso3 FROM (
        SELECT iso3 AS code, iso3, 1 AS pri FROM geos
        UNION ALL SELECT upper(iso2), iso3, 2 FROM geos WHERE iso2 IS NOT NULL
        UNION ALL SELECT m49, iso3, 3 FROM geos WHERE m49 IS NOT NULL
        UNION ALL SELECT CAST(TRY_CAST(m49 AS INTEGER) AS VARCHAR), iso3, 4 FROM geos WHERE m49 IS NOT NULL
        UNION ALL SELECT * , 5 FROM (VALUES ${Object.entries(LEGACY_GEO_CODES)
          .map(([a, b]) => `(${sqlString(a)}, ${sqlString(b)})`)
          .join(', ')}) l(code, iso3) WHERE iso3 IN (SELECT iso3 FROM geos)
      ) ORDER BY code, pri`);

    if (existsSync(f('regions.csv')))
      await db.exec(`INSERT INTO regions SELECT m49, level, name_ar, name_zh, name_en, name_fr, name_ru, name_es
        FROM ${readAll(f('regions.csv'))}`);
    await db.exec(`INSERT INTO groups SELECT code, kind, name_ar, name_zh, name_en, name_fr, name_ru, name_es,
        source, note FROM ${readAll(f('groups.csv'))}`);
    await db.exec(`INSERT INTO memberships SELECT "group", upper(geo), TRY_CAST(nullif(valid_from, '') AS DATE),
        TRY_CAST(nullif(valid_to, '') AS DATE), source FROM ${readAll(f('memberships.csv'))}`);
    await db.exec(`INSERT OR REPLACE INTO indicators (code, name_en, unit, direction, sdg, source, licence, definition,
        breakdown_of, sex, area)
      SELECT code, name_en, nullif(unit, ''), coalesce(TRY_CAST(direction AS TINYINT), 1),
        CASE WHEN coalesce(sdg, '') = '' THEN []::VARCHAR[] ELSE list_transform(string_split(sdg, ';'), x -> trim(x)) END,
        nullif(source, ''), nullif(licence, ''), nullif(definition, ''),
        nullif(breakdown_of, ''), nullif(sex, ''), nullif(area, '')
      FROM ${readAll(f('indicators.csv'))}`);
    if (existsSync(f('sdg_names.csv')))
      await db.exec(
        `INSERT INTO sdg_names SELECT kind, code, lang, title FROM ${readAll(f('sdg_names.csv'))}`,
      );
    await checkReference(store);
    await store.setMeta('reference_loaded', new Date().toISOString());
  });
}

async function checkReference(store: Store): Promise<void> {
  const bad = await store.db.all<{ group_code: string; geo: string }>(
    `SELECT group_code, geo FROM memberships m
     WHERE NOT EXISTS (SELECT 1 FROM geos g WHERE g.iso3 = m.geo)
        OR NOT EXISTS (SELECT 1 FROM groups g WHERE g.code = m.group_code) LIMIT 5`,
  );
  if (bad.length > 0)
    throw invalid(
      `memberships refer to unknown groups or geographies: ${bad.map((b) => `${b.group_code}/${b.geo}`).join(', ')}`,
      { file: 'data/memberships.csv' },
    );
}
