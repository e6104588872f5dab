/**
 * Custom groups from a CSV: columns `group`, `geo` and optionally `valid_from`, `valid_to`
 * (ISO dates, valid_to exclusive) and `name`. Loaded atomically: one bad row loads nothing.
 */
import { existsSync } from 'node:fs';
import { invalid } from '../core/errors.ts';
import type { Store } from './store.ts';
import { sqlString } from './validate.ts';

export async function importGroups(
  store: Store,
  file: string,
): Promise<{ groups: number; memberships: number }> {
  if (!existsSync(file)) throw invalid('file not found', { file });
  const { db } = store;
  let cols: string[];
  try {
    cols = (
      await db.all<{ column_name: string }>(
        `DESCRIBE SELECT * FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)`,
      )
    ).map((c) => c.column_name.toLowerCase());
  } catch (e) {
    throw invalid(`cannot read CSV: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { file });
  }
  for (const c of ['group', 'geo'])
    if (!cols.includes(c))
      throw invalid(`missing column "${c}" (found: ${cols.join(', ')})`, { file, line: 1, field: c });
  const opt = (c: string) => (cols.includes(c) ? `nullif(trim("${c}"), '')` : 'CAST(NULL AS VARCHAR)');
  await db.exec(`CREATE OR REPLACE TEMP TABLE cg AS
    SELECT row_number() OVER () + 1 AS line, trim("group") AS grp, trim(geo) AS geo_raw, ga.iso3,
      ${opt('valid_from')} AS vf_raw, ${opt('valid_to')} AS vt_raw, ${opt('name')} AS name
    FROM read_csv(${sqlString(file)}, header = true, all_varchar = true) r
    LEFT JOIN geo_aliases ga ON ga.code = upper(trim(r.geo))`);
  const bad = await db.one<{ line: number; field: string; reason: string }>(`SELECT line, field, reason FROM (
      SELECT line, CASE
        WHEN coalesce(grp, '') = '' THEN 'group' WHEN NOT regexp_full_match(grp, '[A-Za-z0-9_.-]{1,40}') THEN 'group'
        WHEN iso3 IS NULL THEN 'geo'
        WHEN vf_raw IS NOT NULL AND TRY_CAST(vf_raw AS DATE) IS NULL THEN 'valid_from'
        WHEN vt_raw IS NOT NULL AND TRY_CAST(vt_raw AS DATE) IS NULL THEN 'valid_to'
        WHEN TRY_CAST(vf_raw AS DATE) >= TRY_CAST(vt_raw AS DATE) THEN 'valid_to'
        WHEN EXISTS (SELECT 1 FROM groups g WHERE upper(g.code) = upper(grp) AND g.kind <> 'custom') THEN 'group' END AS field,
      CASE
        WHEN coalesce(grp, '') = '' THEN 'empty group code'
        WHEN NOT regexp_full_match(grp, '[A-Za-z0-9_.-]{1,40}') THEN 'group code must be 1-40 letters, digits, _ . -'
        WHEN iso3 IS NULL THEN 'unknown country code ''' || coalesce(geo_raw, '') || ''''
        WHEN vf_raw IS NOT NULL AND TRY_CAST(vf_raw AS DATE) IS NULL THEN 'not a date (YYYY-MM-DD): ' || vf_raw
        WHEN vt_raw IS NOT NULL AND TRY_CAST(vt_raw AS DATE) IS NULL THEN 'not a date (YYYY-MM-DD): ' || vt_raw
        WHEN TRY_CAST(vf_raw AS DATE) >= TRY_CAST(vt_raw AS DATE) THEN 'valid_to must be after valid_from'
        ELSE 'a built-in group has this code; choose another' END AS reason
      FROM cg) WHERE field IS NOT NULL ORDER BY line LIMIT 1`);
  if (bad) throw invalid(bad.reason, { file, line: bad.line, field: bad.field });
  const n = (await db.value<number>('SELECT count(*) FROM cg')) ?? 0;
  if (n === 0) throw invalid('no rows', { file });
  return db.transaction(async () => {
    await db.exec(`DELETE FROM memberships WHERE group_code IN (SELECT DISTINCT grp FROM cg)`);
    await db.exec(`DELETE FROM groups WHERE code IN (SELECT DISTINCT grp FROM cg)`);
    await db.exec(
      `INSERT INTO groups (code, kind, name_en, source)
      SELECT grp, 'custom', coalesce(max(name), grp), ? FROM cg GROUP BY grp`,
      [file],
    );
    await db.exec(
      `INSERT INTO memberships SELECT grp, iso3, TRY_CAST(vf_raw AS DATE), TRY_CAST(vt_raw AS DATE), ? FROM cg`,
      [file],
    );
    const groups = (await db.value<number>('SELECT count(DISTINCT grp) FROM cg')) ?? 0;
    await db.exec('DROP TABLE temp.cg');
    return { groups, memberships: n };
  });
}
