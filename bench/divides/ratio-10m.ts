/**
 * Benchmark: ratio-of-sums aggregates over 10 million synthetic observations (synthetic.ts),
 * Pontis (`aggregate`, SQL pushdown + coverage rule + sources) against a hand-written DuckDB
 * query of the same aggregation (same sums and coverage counts), in the same run and process,
 * alternating, several repetitions; medians reported.
 *
 *   npx tsx bench/divides/ratio-10m.ts [--reps 7] [--store bench/out/divides-10m.duckdb] [--csv bench/out/divides-10m.csv]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { aggregate } from '../../src/analysis/aggregate.ts';
import { buildSyntheticStore, SYN } from './synthetic.ts';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '7' },
    store: { type: 'string', default: 'bench/out/divides-10m.duckdb' },
    csv: { type: 'string', default: 'bench/out/divides-10m.csv' },
  },
});
const reps = Number(values.reps);
mkdirSync('bench/out', { recursive: true });

let t = performance.now();
const store = await buildSyntheticStore(values.store!, values.csv!);
const nObs = await store.db.value<number>(`SELECT count(*) FROM obs WHERE indicator LIKE 'SYN.%'`);
process.stderr.write(
  `store ready (${nObs} synthetic observations) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
);

const years = Array.from({ length: SYN.lastYear - SYN.firstYear + 1 }, (_, i) => SYN.firstYear + i);

/** The hand-written query: members on 1 July, Σ numerator and Σ denominator over members with both, coverage. */
const HAND = `
WITH mem AS (
  SELECT DISTINCT m.group_code AS grp, y.year, m.geo
  FROM memberships m, (SELECT CAST(range AS INTEGER) AS year FROM range(${SYN.firstYear}, ${SYN.lastYear + 1})) y
  WHERE m.group_code LIKE 'SYN\\_%' ESCAPE '\\'
    AND (m.valid_from IS NULL OR m.valid_from <= make_date(y.year, 7, 1))
    AND (m.valid_to IS NULL OR make_date(y.year, 7, 1) < m.valid_to)),
n AS (SELECT geo, year, value FROM obs WHERE indicator = 'SYN.NUM' AND sex = '_T' AND area = '_T' AND age = '_T' AND quintile = '_T' AND breakdown = '_T'),
d AS (SELECT geo, year, value FROM obs WHERE indicator = 'SYN.POP' AND sex = '_T' AND area = '_T' AND age = '_T' AND quintile = '_T' AND breakdown = '_T')
SELECT mem.grp, mem.year, count(*) AS members,
  count(*) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) AS with_data,
  sum(d.value) AS pop_total,
  sum(d.value) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) AS pop_covered,
  count(*) FILTER (WHERE d.value IS NULL) AS without_pop,
  sum(n.value) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) AS num,
  sum(d.value) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) AS den,
  100 * sum(n.value) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) / sum(d.value) FILTER (WHERE n.value IS NOT NULL AND d.value > 0) AS per100
FROM mem LEFT JOIN n ON n.geo = mem.geo AND n.year = mem.year LEFT JOIN d ON d.geo = mem.geo AND d.year = mem.year
GROUP BY mem.grp, mem.year`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};

const runPontis = async () =>
  aggregate(store, {
    indicator: 'SYN.NUM',
    denominator: 'SYN.POP',
    scale: 100,
    groups: SYN.groups,
    year: years,
    skipEmpty: true,
  });
const runHand = async () =>
  store.db.all<{ grp: string; year: number; per100: number; members: number }>(HAND);

// Warm-up and cross-check: the two agree on every group × year.
const p0 = await runPontis();
const h0 = await runHand();
const hBy = new Map(h0.map((r) => [`${r.grp}/${r.year}`, r]));
let maxRel = 0;
for (const r of p0.results) {
  const h = hBy.get(`${r.group}/${r.year}`)!;
  if (r.result.status !== 'ok') throw new Error(`withheld ${r.group} ${r.year}`);
  if (r.result.coverage.members !== h.members) throw new Error(`members differ for ${r.group} ${r.year}`);
  maxRel = Math.max(maxRel, Math.abs(r.result.value.value - h.per100) / h.per100);
}
if (p0.results.length !== h0.length) throw new Error(`${p0.results.length} results vs ${h0.length} rows`);
process.stderr.write(
  `cross-check: ${h0.length} group × year aggregates agree (max relative difference ${maxRel.toExponential(1)})\n`,
);

const tp: number[] = [];
const th: number[] = [];
for (let i = 0; i < reps; i++) {
  // Alternate the order so that neither side always runs on a warmer cache.
  const order = i % 2 === 0 ? [runPontis, runHand] : [runHand, runPontis];
  for (const f of order) {
    t = performance.now();
    await f();
    (f === runPontis ? tp : th).push(performance.now() - t);
  }
}
const mp = median(tp);
const mh = median(th);
// The machine is shared: also the ratio within each back-to-back pair (same load), and best times.
const pairs = tp.map((x, i) => x / th[i]!);
const fmt = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' ');
console.log(
  `observations: ${nObs}; groups: ${SYN.groups.length}; years: ${years.length}; aggregates: ${h0.length}`,
);
console.log(`pontis aggregate(): median ${(mp / 1000).toFixed(2)} s  [${fmt(tp)}]`);
console.log(`hand-written SQL:   median ${(mh / 1000).toFixed(2)} s  [${fmt(th)}]`);
console.log(`ratio of medians pontis / SQL: ${(mp / mh).toFixed(2)} (goal ≤ 1.3)`);
console.log(
  `median of paired ratios: ${median(pairs).toFixed(2)}  [${pairs.map((x) => x.toFixed(2)).join(' ')}]`,
);
console.log(
  `best times: pontis ${(Math.min(...tp) / 1000).toFixed(2)} s, SQL ${(Math.min(...th) / 1000).toFixed(2)} s, ratio ${(Math.min(...tp) / Math.min(...th)).toFixed(2)}`,
);
store.close();
