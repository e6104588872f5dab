/**
 * Baseline for the ingest benchmark: DuckDB's own read_csv into a plain table, in a fresh file.
 * Plain JavaScript run with `node`, so that its start-up is only Node's and DuckDB's (through
 * `npx tsx` it paid about 0.7 s more, which flattered the ratio).
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [db, csv] = process.argv.slice(2);
const t0 = performance.now();
const inst = await DuckDBInstance.create(db);
const c = await inst.connect();
await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true)`);
const n = (await c.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0];
c.closeSync();
inst.closeSync();
process.stdout.write(`${JSON.stringify({ rows: Number(n), seconds: (performance.now() - t0) / 1000 })}\n`);
