/**
 * Benchmark: every indicator × every group × every year of the bundled data in one `aggregate`
 * call (one DuckDB query), for two methods: population-weighted mean (weight WPP.POP) and ratio
 * of sums to population (per 100). Group-years without members (World Bank groups before FY1989)
 * are skipped and counted. Several repetitions; medians reported.
 *
 *   npx tsx bench/divides/bundled-all.ts [--reps 5] [--store bench/out/divides-bundled.duckdb]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { aggregate } from '../../src/analysis/aggregate.ts';
import type { AggregateMethod } from '../../src/stats/aggregate.ts';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore } from '../../src/store/store.ts';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    store: { type: 'string', default: 'bench/out/divides-bundled.duckdb' },
  },
});
mkdirSync('bench/out', { recursive: true });
const store = await openStore({ path: values.store! });
if ((await store.getMeta('bundled_loaded')) === undefined) await loadBundled(store);

const indicators = (
  await store.db.all<{ code: string }>(
    `SELECT code FROM indicators WHERE code IN (SELECT DISTINCT indicator FROM obs) AND code NOT LIKE 'SYN.%' ORDER BY code`,
  )
).map((r) => r.code);
const groups = (
  await store.db.all<{ code: string }>(`SELECT code FROM groups WHERE kind <> 'custom' ORDER BY code`)
).map((r) => r.code);
const span = (await store.db.one<{ lo: number; hi: number }>(
  'SELECT min(year) AS lo, max(year) AS hi FROM obs',
))!;
const years = Array.from({ length: span.hi - span.lo + 1 }, (_, i) => span.lo + i);
const obs = await store.db.value<number>('SELECT count(*) FROM obs');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};

console.log(
  `bundled store: ${obs} observations; ${indicators.length} indicators × ${groups.length} groups × ${years.length} years (${span.lo}–${span.hi})`,
);
for (const method of ['wmean', 'ratio'] as AggregateMethod[]) {
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof aggregate>> | undefined;
  for (let i = 0; i < Number(values.reps) + 1; i++) {
    const t = performance.now();
    last = await aggregate(store, {
      indicator: indicators,
      groups,
      year: years,
      method,
      ...(method === 'ratio' ? { denominator: 'WPP.POP', scale: 100 } : { weight: 'WPP.POP' }),
      skipEmpty: true,
    });
    if (i > 0) times.push(performance.now() - t); // the first run warms up
  }
  const ok = last!.results.filter((r) => r.result.status === 'ok').length;
  console.log(
    `${method}: ${last!.results.length} results (${ok} shown, ${last!.results.length - ok} withheld), ${last!.skipped.length} empty group-years skipped; median ${(median(times) / 1000).toFixed(2)} s [${times.map((x) => (x / 1000).toFixed(2)).join(' ')}]`,
  );
}
store.close();
