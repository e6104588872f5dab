/**
 * A synthetic store for the divide-statistics benchmark, generated inside DuckDB (no CSV step):
 * 100,000 synthetic geos × 50 years (1970–2019) × 2 indicators (SYN.NUM counts, SYN.POP
 * population) = 10,000,000 observations, plus 1,000 member geos without any data. Groups:
 * SYN_ALL (everyone), SYN_R0..SYN_R9 (fixed regions) and SYN_I0..SYN_I3 (income-like groups whose
 * membership changes every decade, so membership must be evaluated per year). Values are seeded
 * pseudo-random (hash of geo and year): only the shape matters.
 */
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

export async function buildSyntheticStore(path: string): Promise<Store> {
  const store = await openStore({ path });
  const n =
    (await store.db.value<number>(`SELECT count(*) FROM observations WHERE indicator LIKE 'SYN.%'`)) ?? 0;
  if (n === 2 * SYN.geos * (SYN.lastYear - SYN.firstYear + 1)) return store;
  const { db } = store;
  await db.exec(`DELETE FROM observations WHERE indicator LIKE 'SYN.%'`);
  await db.exec(`DELETE FROM memberships WHERE group_code LIKE 'SYN_%'`);
  await db.exec(`DELETE FROM groups WHERE code LIKE 'SYN_%'`);
  await db.exec(`DELETE FROM indicators WHERE code LIKE 'SYN.%'`);
  await db.exec(`INSERT INTO indicators (code, name_en, unit, direction, sdg) VALUES
    ('SYN.NUM', 'Synthetic subscriptions', 'number', 1, []::VARCHAR[]),
    ('SYN.POP', 'Synthetic population', 'persons', 1, []::VARCHAR[])`);
  const id = (await db.value<number>(`SELECT nextval('dataset_id')`))!;
  await db.exec(
    `INSERT INTO datasets VALUES (?, 'synthetic benchmark data', 'bench/divides/synthetic.ts', 'generated', 'synthetic', 'n/a', 'none', NULL, NULL, now(), ?, 0, 0)`,
    [id, 2 * SYN.geos * (SYN.lastYear - SYN.firstYear + 1)],
  );
  const geo = (i: string) => `'S' || lpad(CAST(${i} AS VARCHAR), 6, '0')`;
  await db.exec(
    `INSERT INTO observations
     SELECT ind, ${geo('g')}, CAST(y AS VARCHAR), y, '_T', '_T', '_T', '_T', '_T',
       CASE WHEN ind = 'SYN.POP' THEN 1000 + (hash(g, y) % 1000000)
            ELSE (hash(y, g) % 1000000) * 0.9 END,
       NULL, ?, false
     FROM (VALUES ('SYN.NUM'), ('SYN.POP')) t(ind), range(0, ?) r(g), range(?, ?) yr(y)
     ORDER BY ind, g, y`,
    [id, SYN.geos, SYN.firstYear, SYN.lastYear + 1],
  );
  await db.exec(
    `INSERT INTO groups (code, kind, name_en) SELECT code, 'custom', code FROM (VALUES ${SYN.groups
      .map((g) => `('${g}')`)
      .join(', ')}) t(code)`,
  );
  const all = SYN.geos + SYN.emptyGeos;
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_ALL', ${geo('g')}, NULL, NULL, 'synthetic' FROM range(0, ?) r(g)`,
    [all],
  );
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_R' || CAST(g % 10 AS VARCHAR), ${geo('g')}, NULL, NULL, 'synthetic' FROM range(0, ?) r(g)`,
    [all],
  );
  // Income-like groups: a new group every decade (valid 1 Jan of the decade's first year).
  await db.exec(
    `INSERT INTO memberships SELECT 'SYN_I' || CAST((g + d) % 4 AS VARCHAR), ${geo('g')},
       make_date(1960 + 10 * d, 1, 1), make_date(1970 + 10 * d, 1, 1), 'synthetic'
     FROM range(0, ?) r(g), range(0, 7) dd(d)`,
    [all],
  );
  await db.exec('CHECKPOINT');
  return store;
}
