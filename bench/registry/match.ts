/**
 * Matchmaking benchmark: 100,000 generated records (bench/registry/generate.ts), the top 10 offers
 * for each of 100 published needs (and the top 10 needs for 50 offers) through `findMatches`, which
 * scores every published record of the other kind through the in-process match index
 * (src/registry/match-index.ts). Per backend: the index's full build as `pontis serve` starts it
 * (warmMatches: time, memory, the longest stall of the event loop meanwhile), an incremental
 * refresh after one edit, p50/p95/max of findMatches for needs and for offers, and as a baseline
 * (unless --no-baseline) the SQL candidate query of the former design alone (full text OR query
 * over ~40 words + SDG/sector overlap, ts_rank, LIMIT 300), which costs more than a whole match.
 *
 *   npx tsx --expose-gc bench/registry/match.ts [--records 100000] [--seed 42] [--needs 100]
 *
 * PGlite in PONTIS_BENCH_PGLITE_DIR (reused when it already holds the records; in memory when
 * unset), and a PostgreSQL server when PONTIS_BENCH_PG_URL or PONTIS_TEST_PG_URL is set (database
 * pontis_bench_<records>_<seed>, shared with bench/registry/search.ts).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openRegistryDb, type RegistryDb } from '../../src/registry/db.ts';
import { matchIndex } from '../../src/registry/match-index.ts';
import { findMatches, warmMatches } from '../../src/registry/matchmaking.ts';
import { migrate } from '../../src/registry/migrate.ts';
import { goalsOf, LANGS } from '../../src/registry/model.ts';
import { RECORD_COLUMNS, type RecordRow, type StoredRecord, toRecord } from '../../src/registry/records.ts';
import { generateRecords, loadRecords } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    needs: { type: 'string', default: '100' },
    only: { type: 'string' },
    // The former design's candidate query takes seconds per record: --no-baseline leaves it out.
    baseline: { type: 'boolean', default: true },
  },
  allowNegative: true,
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

/** Words of a record's text for the former candidate query: letters and digits only, at most 40. */
function queryWords(r: Pick<StoredRecord, 'title' | 'summary'>): string {
  const words = new Set<string>();
  for (const l of LANGS)
    for (const text of [r.title[l], r.summary[l]]) {
      if (!text) continue;
      for (const m of text.matchAll(/[\p{L}\p{N}]{3,}/gu)) {
        words.add(m[0].toLowerCase());
        if (words.size >= 40) break;
      }
    }
  return [...words].join(' | ');
}

/** The former design's candidate query (src/registry/matchmaking.ts before the match index). */
const CANDIDATES = `WITH q AS (SELECT to_tsquery('english', $1) || to_tsquery('french', $1) || to_tsquery('spanish', $1)
                      || to_tsquery('russian', $1) || to_tsquery('arabic', $1) AS tsq)
       SELECT r.id FROM records r, q
       WHERE r.status = 'published' AND r.kind = $2 AND r.id <> $3
         AND (r.search_vec @@ q.tsq OR r.sdgs && $4::int[] OR r.sectors && $5::text[])
       ORDER BY ts_rank(r.search_vec, q.tsq) * 10
              + (SELECT count(*) FROM unnest(r.sdgs) g WHERE g = ANY ($4::int[]))
              + (SELECT count(*) FROM unnest(r.sectors) s WHERE s = ANY ($5::text[])) DESC, r.id
       LIMIT 300`;

const mem = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (b: number) => (b / 2 ** 20).toFixed(0);

async function bench(name: 'pglite' | 'postgres') {
  const db = await open(name);
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records'))[0]!.n;
  if (n !== N) {
    if (n !== 0) throw new Error(`${name}: the database holds ${n} records, not ${N}`);
    const t = performance.now();
    await loadRecords(db, generateRecords(N, SEED));
    console.error(`${name}: loaded ${N} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const pick = async (kind: string, k: number) =>
    (
      await db.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE status = 'published' AND kind = $1 ORDER BY md5(id::text) LIMIT $2`,
        [kind, k],
      )
    ).map(toRecord);
  const needs = await pick('need', NEEDS);
  const offers = await pick('offer', Math.ceil(NEEDS / 2));

  // The full build (the first findMatches of a process pays it).
  const before = mem();
  const ix = matchIndex(db);
  // Built as `pontis serve` builds it at start-up (warmMatches): how long the event loop stalls.
  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  const build = await warmMatches(db);
  stall.disable();
  const held = mem() - before;
  const st = ix.stats();
  console.error(
    `${name}: index of ${st.needs} needs + ${st.offers} offers built in ${fmt(build.ms)} ms ` +
      `(${build.rows} rows, of which ${fmt(build.dbMs)} ms reading them); ${st.terms} terms, ${st.postings} postings; ` +
      `typed arrays ${mb(st.typedBytes)} MB, estimate ${mb(st.estimatedBytes)} MB, heap + buffers ${mb(held)} MB; ` +
      `longest event-loop stall ${fmt(stall.max / 1e6)} ms`,
  );
  // The first match after the build (what the first user request pays), then a warm-up: the
  // first calls compile the queries and fill caches.
  const firstAt = performance.now();
  await findMatches(db, null, needs[0]!.id);
  const first = performance.now() - firstAt;
  console.error(`${name}: first findMatches after the build ${fmt(first)} ms`);
  for (const r of needs.slice(1, 5)) await findMatches(db, null, r.id);

  // Incremental refresh: one published offer edited (and put back), then the next findMatches.
  const target = offers[0]!;
  const inc: number[] = [];
  const after: number[] = [];
  for (const suffix of [' (edited)', '']) {
    await db.query('UPDATE records SET title = $2, updated_at = now() WHERE id = $1', [
      target.id,
      JSON.stringify({ ...target.title, en: `${target.title.en ?? ''}${suffix}` }),
    ]);
    const r = await ix.sync(db);
    if (r.mode !== 'incremental') throw new Error(`${name}: expected an incremental refresh, got ${r.mode}`);
    inc.push(r.ms);
    console.error(`${name}: incremental refresh ${fmt(r.ms)} ms (${r.rows} rows, db ${fmt(r.dbMs)} ms)`);
    const t = performance.now();
    await findMatches(db, null, needs[0]!.id, { limit: 10 });
    after.push(performance.now() - t);
  }

  const times = { need: [] as number[], offer: [] as number[] };
  const sql: number[] = [];
  for (const r of [...needs, ...offers]) {
    let t = performance.now();
    await findMatches(db, null, r.id, { limit: 10 });
    times[r.kind as 'need' | 'offer'].push(performance.now() - t);
    // Baseline: the former candidate query alone.
    if (!args.baseline) continue;
    t = performance.now();
    await db.query(CANDIDATES, [
      queryWords(r),
      r.kind === 'need' ? 'offer' : 'need',
      r.id,
      goalsOf(r),
      r.sectors,
    ]);
    sql.push(performance.now() - t);
  }
  const row = (xs: number[]) => `${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(Math.max(...xs))}`;
  console.log(
    `| ${name} | ${st.needs} needs, ${st.offers} offers | ${row(times.need)} | ${row(times.offer)} | ` +
      `${sql.length ? fmt(pct(sql, 50)) : '–'} | ${(build.ms / 1000).toFixed(1)} s | ${mb(held)} MB | ` +
      `${inc.map(fmt).join(', ')} (+ ${after.map(fmt).join(', ')}) | ${loadavg()[0]!.toFixed(1)} |`,
  );
  await db.close();
}

console.log(
  `${N} records, ${NEEDS} needs + ${Math.ceil(NEEDS / 2)} offers, top 10 (times in ms unless marked)\n`,
);
console.log(
  '| backend | published | needs p50 | p95 | max | offers p50 | p95 | max | former candidate SQL alone p50 | index build | index memory | incremental refresh (+ next findMatches) | load |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
if (args.only !== 'postgres') await bench('pglite');
if (PG_URL && args.only !== 'pglite') await bench('postgres');
