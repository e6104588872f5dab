/**
 * Registry search benchmark: 100,000 generated records (bench/registry/generate.ts), ~200 typical
 * queries (single words and two-word phrases in the six languages, with and without filters, date
 * sort, browsing, typos), p50/p95/max of searchRecords per backend, and a baseline: the same full-text
 * queries as plain SQL (tsquery match + ts_rank ordering + LIMIT 20, no facets, no count).
 *
 *   npx tsx bench/registry/search.ts [--records 100000] [--seed 42] [--passes 2] [--only pglite|postgres]
 *
 * PGlite always (in memory, or in PONTIS_BENCH_PGLITE_DIR, reused when it already holds the records);
 * a PostgreSQL server too when PONTIS_BENCH_PG_URL or PONTIS_TEST_PG_URL is set (`eval "$(bash
 * scripts/pg.sh start)"`): database pontis_bench_<records>_<seed>, reused when it already exists.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openRegistryDb, type RegistryDb } from '../../src/registry/db.ts';
import { migrate } from '../../src/registry/migrate.ts';
import type { Lang } from '../../src/registry/model.ts';
import { type SearchQuery, searchRecords } from '../../src/registry/search.ts';
import { generateRecords, loadRecords, prng } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    passes: { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
const N = Number(args.records);
const SEED = Number(args.seed);
const PASSES = Number(args.passes);
const PG_URL = process.env.PONTIS_BENCH_PG_URL ?? process.env.PONTIS_TEST_PG_URL;

/** Typical queries a registry visitor types, by language: single words and two-word phrases. */
const WORDS: Record<Lang, string[]> = {
  en: [
    'solar',
    'water',
    'energy',
    'education',
    'health',
    'internet',
    'agriculture',
    'poverty',
    'climate',
    'women',
    'telemedicine',
    'recycling',
    'vaccine',
    'broadband',
    'seeds',
    'floods',
    'transport',
    'data',
  ],
  fr: [
    'énergie',
    'eau',
    'éducation',
    'santé',
    'pauvreté',
    'agriculteurs',
    'écoles',
    'déchets',
    'inondations',
    'vaccins',
  ],
  es: [
    'agua',
    'energía',
    'educación',
    'salud',
    'pobreza',
    'agricultores',
    'escuelas',
    'residuos',
    'semillas',
    'transporte',
  ],
  ru: [
    'энергия',
    'вода',
    'образование',
    'здоровье',
    'бедность',
    'фермеров',
    'школ',
    'отходов',
    'вакцин',
    'транспорт',
  ],
  ar: [
    'الطاقة',
    'المياه',
    'التعليم',
    'الصحة',
    'الفقر',
    'المزارعين',
    'المدارس',
    'النفايات',
    'اللقاحات',
    'النقل',
  ],
  zh: ['能源', '水', '教育', '健康', '贫困', '农民', '学校', '废物', '疫苗', '交通', '太阳能', '可持续'],
};
const PHRASES: Record<Lang, string[]> = {
  en: [
    'renewable energy',
    'drinking water',
    'mobile health',
    'rural broadband',
    'clean cooking',
    'early warning',
    'open data',
    'crop monitoring',
    'electronic waste',
    'public transport',
  ],
  fr: ['énergie renouvelable', 'eau potable', 'santé mobile', 'données ouvertes', 'transports publics'],
  es: ['energía renovable', 'agua potable', 'salud móvil', 'datos abiertos', 'transporte público'],
  ru: ['открытых данных', 'чистые плиты', 'общественный транспорт', 'питьевой воды'],
  ar: ['الطاقة المتجددة', 'مياه الشرب', 'البيانات المفتوحة', 'النقل العام'],
  zh: ['移动医疗', '开放数据', '农村宽带', '预警系统'],
};
const TYPOS = ['enrgy', 'irigation', 'educaton', 'telemedecine', 'brodband', 'vacine'];
const COUNTRIES = ['KEN', 'IND', 'BRA', 'NGA', 'FRA', 'CHN', 'EGY', 'PER', 'BGD', 'SEN', 'KGZ', 'MEX'];
const REGIONS = ['M49_002', 'M49_014', 'M49_142', 'M49_419', 'M49_150', 'M49_202'];

export interface BenchQuery {
  label: string;
  query: SearchQuery;
}

/** ~200 queries: fixed categories, values drawn with a seeded PRNG. */
export function benchQueries(seed = 7): BenchQuery[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const langs = Object.keys(WORDS) as Lang[];
  const out: BenchQuery[] = [];
  for (const lang of langs) for (const q of WORDS[lang]) out.push({ label: 'word', query: { q, lang } });
  for (const lang of langs) for (const q of PHRASES[lang]) out.push({ label: 'phrase', query: { q, lang } });
  for (let i = 0; i < 50; i++) {
    const lang = pick(langs);
    const q = r() < 0.6 ? pick(WORDS[lang]) : pick(PHRASES[lang]);
    const f: SearchQuery = { q, lang };
    const k = Math.floor(r() * 6);
    if (k === 0) f.sdg = [1 + Math.floor(r() * 17)];
    if (k === 1) f.country = [pick(COUNTRIES)];
    if (k === 2) f.kind = ['offer'];
    if (k === 3) f.region = [pick(REGIONS)];
    if (k === 4)
      Object.assign(f, { licence: ['open'], sector: [pick(['energy', 'health', 'water'] as const)] });
    if (k === 5) Object.assign(f, { readiness: { min: 6 }, kind: ['offer', 'need'], sort: 'date' });
    out.push({ label: 'text+filters', query: f });
  }
  for (let i = 0; i < 20; i++) {
    const f: SearchQuery = { lang: pick(langs) };
    const k = i % 5;
    if (k === 1) f.country = [pick(COUNTRIES)];
    if (k === 2) f.sdg = [1 + Math.floor(r() * 17)];
    if (k === 3) Object.assign(f, { region: [pick(REGIONS)], sector: ['agriculture'] });
    if (k === 4) Object.assign(f, { kind: ['need'], licence: ['open'], page: 3 });
    out.push({ label: 'browse', query: f });
  }
  for (const q of TYPOS) out.push({ label: 'typo', query: { q } });
  for (let i = 0; out.length < 200; i++)
    out.push({
      label: 'word',
      query: { q: pick(WORDS.en), lang: 'en', page: 2, sort: i % 2 ? 'date' : 'relevance' },
    });
  return out;
}

const STEMMED = ['english', 'french', 'spanish', 'russian', 'arabic'];
/** The baseline: full-text match and rank only, as one would write it by hand. */
const BASELINE = `SELECT id, ts_rank(search_vec, tq) AS rank
  FROM records, (SELECT ${STEMMED.map((c) => `websearch_to_tsquery('${c}', $1)`).join(' || ')} AS tq) AS q
  WHERE status = 'published' AND search_vec @@ tq
  ORDER BY rank DESC LIMIT 20`;

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const stats = (xs: number[]) => ({
  n: xs.length,
  p50: quantile(xs, 0.5),
  p95: quantile(xs, 0.95),
  max: Math.max(...xs),
});
const ms = (x: number) => x.toFixed(1);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

async function openBackend(name: 'pglite' | 'postgres'): Promise<{ db: RegistryDb; fresh: boolean }> {
  if (name === 'pglite') {
    const dir = process.env.PONTIS_BENCH_PGLITE_DIR;
    const existed = dir ? existsSync(dir) : false;
    const db = await openRegistryDb(dir ? { dataDir: dir } : {});
    await migrate(db);
    return { db, fresh: !existed };
  }
  const dbName = `pontis_bench_${N}_${SEED}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount! > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${dbName}`;
  const db = await openRegistryDb({ url: url.toString(), maxConnections: 2 });
  await migrate(db);
  return { db, fresh: !exists };
}

async function benchBackend(name: 'pglite' | 'postgres') {
  const { db } = await openBackend(name);
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records')) as [
    { n: number },
  ];
  let loadMs: number | null = null;
  if (n !== N) {
    if (n !== 0) throw new Error(`${name}: the database holds ${n} records, not ${N}; remove it first`);
    const [tGen, recs] = await timed(async () => generateRecords(N, SEED));
    console.error(`${name}: generated ${N} records in ${ms(tGen)} ms; loading…`);
    [loadMs] = await timed(() =>
      loadRecords(db, recs, {
        onBatch: (d) => {
          if (d % 20_000 === 0) console.error(`  ${d}`);
        },
      }),
    );
    console.error(`${name}: loaded in ${(loadMs / 1000).toFixed(1)} s`);
  }
  const queries = benchQueries();
  // Warm-up pass (caches, plans), then timed passes.
  for (const bq of queries) await searchRecords(db, bq.query);
  const byLabel = new Map<string, number[]>();
  const all: number[] = [];
  const slow: { ms: number; q: BenchQuery; total: string }[] = [];
  let lowerBounds = 0;
  for (let p = 0; p < PASSES; p++)
    for (const bq of queries) {
      const [t, res] = await timed(() => searchRecords(db, bq.query));
      all.push(t);
      byLabel.set(bq.label, [...(byLabel.get(bq.label) ?? []), t]);
      slow.push({ ms: t, q: bq, total: `${res.total}${res.totalIsLowerBound ? '+' : ''}` });
      if (res.totalIsLowerBound) lowerBounds++;
    }
  // Baseline: the text-only queries (word, phrase) as plain SQL.
  const texts = queries.filter((bq) => bq.label === 'word' || bq.label === 'phrase').map((bq) => bq.query.q!);
  const base: number[] = [];
  const same: number[] = [];
  for (const q of texts) await db.query(BASELINE, [q]);
  for (let p = 0; p < PASSES; p++)
    for (const q of texts) {
      base.push((await timed(() => db.query(BASELINE, [q])))[0]);
      same.push((await timed(() => searchRecords(db, { q })))[0]);
    }
  slow.sort((a, b) => b.ms - a.ms);
  await db.close();
  return {
    name,
    loadMs,
    all: stats(all),
    byLabel,
    base: stats(base),
    same: stats(same),
    slow: slow.slice(0, 8),
    lowerBounds,
  };
}

const backends = (['pglite', 'postgres'] as const).filter(
  (b) => (!args.only || args.only === b) && (b === 'pglite' || PG_URL),
);
console.log(
  `# registry search benchmark: ${N} records (seed ${SEED}), ${benchQueries().length} queries × ${PASSES} passes`,
);
console.log(
  `# ${new Date().toISOString()}, ${cpus().length} vCPUs, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const b of backends) {
  const r = await benchBackend(b);
  console.log(`\n## ${r.name}${r.loadMs !== null ? ` (load ${(r.loadMs / 1000).toFixed(1)} s)` : ''}`);
  console.log('| queries | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|');
  const row = (label: string, s: ReturnType<typeof stats>) =>
    console.log(`| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`);
  row('all (searchRecords)', r.all);
  for (const [label, xs] of r.byLabel) row(`  ${label}`, stats(xs));
  row('baseline: text-only queries, plain SQL (match + ts_rank + LIMIT 20)', r.base);
  row('same text-only queries through searchRecords', r.same);
  console.log(`goal p95 < 50 ms: ${r.all.p95 < 50 ? 'met' : 'NOT met'}`);
  console.log(
    `results with totalIsLowerBound (more candidates than examined): ${r.lowerBounds} of ${r.all.n}`,
  );
  console.log('slowest:');
  for (const s of r.slow)
    console.log(`  ${ms(s.ms)} ms  ${s.q.label}  ${JSON.stringify(s.q.query)}  (${s.total} hits)`);
  console.log(
    `# load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}
