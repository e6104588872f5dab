/**
 * The fast path's check statements on their own, as docs/benchmarks.md quotes them: the repeated-key
 * GROUP BY by strings or by a hash of the key, with one or two year masks, inside the insert's
 * transaction (at 2 and 1 threads) and once committed, and the three checks in one GROUPING SETS scan;
 * medians of five runs of each.
 *   node bench/ingest/steps.mjs [CSV=bench/out/wdi-long-10000000.csv]
 * (generate the file first: npx tsx bench/ingest/gen-wdi-long.ts bench/out/wdi-long-10000000.csv 10000000)
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const csv = process.argv[2] ?? 'bench/out/wdi-long-10000000.csv';
const db = '/tmp/pontis-bench-steps.duckdb';
rmSync(db, { force: true });
rmSync(`${db}.wal`, { force: true });
const inst = await DuckDBInstance.create(db);
const c = await inst.connect();
await c.run(`CREATE TABLE obs_plain (indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL, year SMALLINT NOT NULL,
  value DOUBLE NOT NULL, dataset INTEGER NOT NULL, superseded BOOLEAN NOT NULL DEFAULT FALSE)`);
/** Median of `reps` runs of a statement. */
const time = async (label, sql, reps = 1) => {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await c.run(sql);
    ms.push(performance.now() - t);
  }
  const median = ms.sort((a, b) => a - b)[Math.floor(reps / 2)];
  process.stdout.write(`${label.padEnd(68)} ${median.toFixed(0).padStart(6)} ms\n`);
};
const span = (
  await (
    await c.runAndReadAll(
      `SELECT min(TRY_CAST(period AS SMALLINT)) FROM read_csv('${csv}', header = true, all_varchar = true) LIMIT 1`,
    )
  ).getRows()
)[0][0];
const lo = Number(span);
const bit = (e) => `CAST(1 AS UBIGINT) << CAST(${e} AS UBIGINT)`;
const one = `bit_or(${bit(`year - ${lo}`)}) AS m`;
const two = `bit_or(CASE WHEN year < ${lo + 64} THEN ${bit(`year - ${lo}`)} ELSE 0 END) AS m1,
  bit_or(CASE WHEN year >= ${lo + 64} THEN ${bit(`year - ${lo + 64}`)} ELSE 0 END) AS m2`;
const mine = 'FROM obs_plain WHERE dataset = 1';
const checks = {
  'strings, two masks': `SELECT indicator, geo, count(*) AS n, ${two} ${mine} GROUP BY ALL`,
  'strings, one mask': `SELECT indicator, geo, count(*) AS n, ${one} ${mine} GROUP BY ALL`,
  'hash, two masks': `SELECT count(*) AS n, ${two} ${mine} GROUP BY hash(indicator, geo)`,
  'hash, one mask (Pontis, span <= 64 years)': `SELECT count(*) AS n, ${one} ${mine} GROUP BY hash(indicator, geo)`,
  'span (min/max year, count)': `SELECT min(year), max(year), count(*) ${mine}`,
  'distinct geographies and indicators': `WITH g AS (SELECT DISTINCT geo ${mine}), i AS (SELECT DISTINCT indicator ${mine})
    SELECT (SELECT list(geo) FROM g), (SELECT list(indicator) FROM i)`,
  'all three in one GROUPING SETS scan': `SELECT h, geo, indicator, count(*) AS n, min(year), max(year), ${one}
    FROM (SELECT hash(indicator, geo) AS h, geo, indicator, year ${mine})
    GROUP BY GROUPING SETS ((h), (geo), (indicator), ())`,
};
const run = async (when) => {
  for (const [k, sql] of Object.entries(checks))
    await time(`${when}: ${k}`, `CREATE OR REPLACE TEMP TABLE x AS ${sql}`, 5);
};
await c.run('BEGIN');
await time(
  'insert (as Pontis, in a transaction)',
  `INSERT INTO obs_plain
  SELECT r.indicator, r.geo, CASE WHEN r.y4 >= 1000 AND CAST(r.y4 AS VARCHAR) = r.period THEN r.y4 ELSE error('not a year') END,
    CASE WHEN isfinite(r.value) THEN r.value ELSE error('not finite') END, 1, FALSE
  FROM (SELECT *, TRY_CAST(period AS SMALLINT) AS y4 FROM read_csv('${csv}', header = true,
    types = {'indicator': 'VARCHAR', 'geo': 'VARCHAR', 'period': 'VARCHAR', 'value': 'DOUBLE'})) r`,
);
await run('in transaction, 2 threads');
await c.run('SET threads = 1');
await run('in transaction, 1 thread');
await c.run('SET threads = 2');
await time('COMMIT', 'COMMIT');
await run('committed, 2 threads');
c.closeSync();
inst.closeSync();
rmSync(db, { force: true });
