/**
 * Where a computed request's time goes: the library calls behind the benchmark's requests, timed
 * directly on a store (no HTTP, no queue), each repeated and reported as the median and the 90th
 * percentile in milliseconds, with the machine's load average.
 *
 *   npx tsx bench/server/calls.ts [--store bench/out/server.duckdb] [--runs 200]
 *
 * Run it while no server holds the store (DuckDB opens a file in one process at a time).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { aggregate } from '../../src/analysis/index.ts';
import { querySeries, resolveGeos, resolveIndicator } from '../../src/store/queries.ts';
import { openStore } from '../../src/store/store.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'bench/out/server.duckdb' },
    runs: { type: 'string', default: '200' },
  },
});
const runs = Number(values.runs);
const store = await openStore({ path: resolve(ROOT, values.store as string), readOnly: true });
const GEOS = ['KEN', 'IND', 'BRA', 'NGA', 'VNM'];

const calls: Record<string, () => Promise<unknown>> = {
  'SELECT 1': () => store.db.value('SELECT 1'),
  'resolveIndicator IT.NET.USER.ZS': () => resolveIndicator(store, 'IT.NET.USER.ZS'),
  'resolveGeos, 5 codes': () => resolveGeos(store, GEOS),
  'querySeries, 5 countries from 2010': () =>
    querySeries(store, { indicator: 'IT.NET.USER.ZS', geo: GEOS, from: 2010 }),
  'aggregate, 3 groups, 2019': () =>
    aggregate(store, {
      indicator: 'i271mw',
      denominator: 'WPP.POP',
      scale: 100,
      groups: ['DEVELOPED', 'DEVELOPING', 'LDC'],
      year: 2019,
    }),
};

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
const before = loadavg()[0]?.toFixed(2);
const lines = ['| call | median ms | p90 ms |', '|---|---|---|'];
for (const [name, fn] of Object.entries(calls)) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  lines.push(`| ${name} | ${q(ms, 0.5).toFixed(2)} | ${q(ms, 0.9).toFixed(2)} |`);
}
store.close();
process.stdout.write(
  `${runs} runs per call; load average (1 min) ${before} before, ${loadavg()[0]?.toFixed(2)} after\n\n${lines.join('\n')}\n`,
);
