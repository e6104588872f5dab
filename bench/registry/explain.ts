/**
 * EXPLAIN ANALYZE of the statement registry search runs, on the benchmark's database.
 *
 *   npx tsx bench/registry/explain.ts '{"q":"water","lang":"en"}' [--pglite DIR | --url URL]
 *
 * Without --url, PGlite in PONTIS_BENCH_PGLITE_DIR (or --pglite DIR); with --url, that server
 * database (e.g. …/pontis_bench_100000_42, which bench/registry/search.ts leaves behind).
 */
import { parseArgs } from 'node:util';
import { openRegistryDb } from '../../src/registry/db.ts';
import {
  filterShares,
  normaliseQueryText,
  SEARCH_LIMITS,
  SearchQuerySchema,
  searchSql,
} from '../../src/registry/search.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { pglite: { type: 'string' }, url: { type: 'string' }, mode: { type: 'string' } },
});
const dir = values.pglite ?? process.env.PONTIS_BENCH_PGLITE_DIR;
const db = await openRegistryDb(values.url ? { url: values.url } : dir ? { dataDir: dir } : {});
const sq = SearchQuerySchema.parse(JSON.parse(positionals[0] ?? '{}'));
const q = normaliseQueryText(sq.q);
const mode = (values.mode ?? (q === '' ? 'all' : /[\u4e00-\u9fff]/.test(q) ? 'substring' : 'fulltext')) as
  | 'all'
  | 'fulltext'
  | 'substring';
const { sql, params } = searchSql(sq, q, mode, SEARCH_LIMITS, await filterShares(db, sq));
if (process.env.SHOW_SQL) console.log(sql, params);
for (let i = 0; i < 2; i++) {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  if (i === 1) console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
}
await db.close();
