/**
 * A synthetic store for the divide-statistics benchmark: 100,000 synthetic geos × 50 years
 * (1970–2019) × 2 indicators (SYN.NUM counts, SYN.POP population) = 10,000,000 observations,
 * plus 1,000 member geos without any data. Groups: SYN_ALL (everyone), SYN_R0..SYN_R9 (fixed
 * regions) and SYN_I0..SYN_I3 (income-like groups whose membership changes every decade, so it must
 * be evaluated per year). Values are seeded pseudo-random (hash of geo and year): only the shape
 * matters.
 *
 * The synthetic geos, groups and memberships go straight into the reference tables; the
 * observations are written by DuckDB to a tidy CSV (indicator,geo,period,value) and loaded with
 * the ordinary `ingestFile`, so the benchmark reads them exactly as it would read real data.
 */
import { existsSync } from 'node:fs';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';

export const SYN = {
  geos: 100_000,
  emptyGeos: 1_000,
  firstYear: 1970,
  lastYear: 2019,
  groups: [
    'SYN_ALL',
    ...Array.from({ length: 10 }, (_, i) => `SYN_R${i}`),
    ...Array.from({ length: 4 }, (_, i) => `SYN_I${i}`),
  ],
};

export const SYN_OBSERVATIONS = 2 * SYN.geos * (SYN.lastYear - SYN.firstYear + 1);

export async function buildSyntheticStore(path: string, csv: string): Promise<Store> {
  const store = await openStore({ path });
  if ((await store.getMeta('reference_loaded')) === undefined) await loadReference(store);
  const have = (await store.db.value<number>(`SELECT count(*) FROM obs WHERE indicator LIKE 'SYN.%'`)) ?? 0;
  if (have === SYN_OBSERVATIONS) return store;
  const { db } = store;
  const all = SYN.geos + SYN.emptyGeos;
  const geo = `'S' || lpad(CAST(g AS VARCHAR), 6, '0')`;
  await db.exec(`DELETE FROM geo_aliases WHERE code LIKE 'S0%' OR code LIKE 'S1%'`);
  await db.exec(`DELETE FROM geos WHERE iso3 LIKE 'S0%' OR iso3 LIKE 'S1%'`);
  await db.exec(`DELETE FROM memberships WHERE group_code LIKE 'SYN_%'`);
  await db.exec(`DELETE FROM groups WHERE code LIKE 'SYN_%'`);
  await db.exec(
    `INSERT INTO geos (iso3, name_en) SELECT ${geo}, 'Synthetic ' || CAST(g AS VARCHAR) FROM range(0, ?) r(g)`,
    [all],
  );
  await db.exec(`INSERT INTO geo_aliases SELECT ${geo}, ${geo} FROM range(0, ?) r(g)`, [all]);
  await db.exec(
    `INSERT INTO groups (code, kind, name_en) SELECT code, 'custom', code FROM (VALUES ${SYN.groups.map((g) => `('${g}')`).join(', ')}) t(code)`,
  );
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_ALL', ${geo}, NULL, NULL, 'synthetic' FROM range(0, ?) r(g)`,
    [all],
  );
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_R' || CAST(g % 10 AS VARCHAR), ${geo}, NULL, NULL, 'synthetic' FROM range(0, ?) r(g)`,
    [all],
  );
  // Income-like groups: a new group every decade from 1 January of its first year.
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_I' || CAST((g + d) % 4 AS VARCHAR), ${geo},
       make_date(1960 + 10 * d, 1, 1), make_date(1970 + 10 * d, 1, 1), 'synthetic'
     FROM range(0, ?) r(g), range(0, 7) dd(d)`,
    [all],
  );
  if (!existsSync(csv)) {
    const q = `SELECT ind AS indicator, ${geo} AS geo, CAST(y AS VARCHAR) AS period,
        CASE WHEN ind = 'SYN.POP' THEN 1000 + (hash(g, y) % 1000000) ELSE (hash(y, g) % 1000000) * 0.9 END AS value
      FROM (VALUES ('SYN.NUM'), ('SYN.POP')) t(ind), range(0, ${SYN.geos}) r(g), range(${SYN.firstYear}, ${SYN.lastYear + 1}) yr(y)
      ORDER BY ind, g, y`;
    await db.exec(`COPY (${q}) TO '${csv.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`);
  }
  const t = performance.now();
  const r = await ingestFile(store, csv, {
    source: 'synthetic benchmark data (bench/divides/synthetic.ts)',
    vintage: 'synthetic',
  });
  process.stderr.write(
    `ingested ${r.loaded} synthetic observations in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  await db.exec('CHECKPOINT');
  return store;
}
