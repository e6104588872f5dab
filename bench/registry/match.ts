/**
 * Matchmaking benchmark: 100,000 generated records (bench/registry/generate.ts), the top 10 offers
 * for each of 100 published needs (and the top 10 needs for 50 offers) through `findMatches`, with
 * p50/p95/max per backend, and in the same run a baseline: the candidate query alone as plain SQL
 * (so the cost of scoring in JavaScript is visible).
 *
 *   npx tsx bench/registry/match.ts [--records 100000] [--seed 42] [--needs 100]
 *
 * PGlite in PONTIS_BENCH_PGLITE_DIR (reused when it already holds the records; in memory when
 * unset), and a PostgreSQL server when PONTIS_BENCH_PG_URL or PONTIS_TEST_PG_URL is set (database
 * pontis_bench_<records>_<seed>, shared with bench/registry/search.ts).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openRegistryDb, type RegistryDb } from '../../src/registry/db.ts';
import { findMatches, queryWords } from '../../src/registry/matchmaking.ts';
import { migrate } from '../../src/registry/migrate.ts';
import { goalsOf } from '../../src/registry/model.ts';
import { RECORD_COLUMNS, type RecordRow, toRecord } from '../../src/registry/records.ts';
import { generateRecords, loadRecords } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    needs: { type: 'string', default: '100' },
    only: { type: 'string' },
  },
});
const N = Number(args.records);
const SEED = Number(args.seed);
const NEEDS = Number(args.needs);
const PG_URL = process.env.PONTIS_BENCH_PG_URL ?? process.env.PONTIS_TEST_PG_URL;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (x: number) => x.toFixed(1);

async function open(name: 'pglite' | 'postgres'): Promise<RegistryDb> {
  if (name === 'pglite') {
    const dir = process.env.PONTIS_BENCH_PGLITE_DIR;
    if (dir && !existsSync(dir)) console.error(`pglite: new database in ${dir}`);
    const db = await openRegistryDb(dir ? { dataDir: dir } : {});
    await migrate(db);
    return db;
  }
  const dbName = `pontis_bench_${N}_${SEED}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount === 0)
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${dbName}`;
  const db = await openRegistryDb({ url: url.toString(), maxConnections: 2 });
  await migrate(db);
  return db;
}

async function bench(name: 'pglite' | 'postgres') {
  const db = await open(name);
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records'))[0]!.n;
  if (n !== N) {
    if (n !== 0) throw new Error(`${name}: the database holds ${n} records, not ${N}`);
    const t = performance.now();
    await loadRecords(db, generateRecords(N, SEED));
    console.error(`${name}: loaded ${N} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const count = async (kind: string) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM records WHERE status = 'published' AND kind = $1`,
        [kind],
      )
    )[0]!.n;
  const pick = async (kind: string, k: number) =>
    (
      await db.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE status = 'published' AND kind = $1 ORDER BY md5(id::text) LIMIT $2`,
        [kind, k],
      )
    ).map(toRecord);
  const needs = await pick('need', NEEDS);
  const offers = await pick('offer', Math.ceil(NEEDS / 2));
  // Warm-up: the first calls compile the queries and fill caches.
  for (const r of needs.slice(0, 5)) await findMatches(db, null, r.id);

  const full: number[] = [];
  const sql: number[] = [];
  const cands: number[] = [];
  for (const r of [...needs, ...offers]) {
    let t = performance.now();
    await findMatches(db, null, r.id, { limit: 10 });
    full.push(performance.now() - t);
    // Baseline: the candidate query alone, as findMatches sends it.
    t = performance.now();
    const rows = await db.query(
      `WITH q AS (SELECT to_tsquery('english', $1) || to_tsquery('french', $1) || to_tsquery('spanish', $1)
                      || to_tsquery('russian', $1) || to_tsquery('arabic', $1) AS tsq)
       SELECT r.id FROM records r, q
       WHERE r.status = 'published' AND r.kind = $2 AND r.id <> $3
         AND (r.search_vec @@ q.tsq OR r.sdgs && $4::int[] OR r.sectors && $5::text[])
       ORDER BY ts_rank(r.search_vec, q.tsq) * 10
              + (SELECT count(*) FROM unnest(r.sdgs) g WHERE g = ANY ($4::int[]))
              + (SELECT count(*) FROM unnest(r.sectors) s WHERE s = ANY ($5::text[])) DESC, r.id
       LIMIT 300`,
      [queryWords(r), r.kind === 'need' ? 'offer' : 'need', r.id, goalsOf(r), r.sectors],
    );
    sql.push(performance.now() - t);
    cands.push(rows.length);
  }
  console.log(
    `| ${name} | ${await count('need')} needs, ${await count('offer')} offers | ` +
      `${fmt(pct(full, 50))} | ${fmt(pct(full, 95))} | ${fmt(Math.max(...full))} | ` +
      `${fmt(pct(sql, 50))} | ${fmt(pct(sql, 95))} | ${Math.round(cands.reduce((a, b) => a + b, 0) / cands.length)} | ` +
      `${loadavg()[0]!.toFixed(1)} |`,
  );
  await db.close();
}

console.log(`${N} records, ${NEEDS} needs + ${Math.ceil(NEEDS / 2)} offers, top 10 (times in ms)\n`);
console.log(
  '| backend | published | findMatches p50 | p95 | max | candidate SQL alone p50 | p95 | candidates | load |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
if (args.only !== 'postgres') await bench('pglite');
if (PG_URL && args.only !== 'pglite') await bench('postgres');
