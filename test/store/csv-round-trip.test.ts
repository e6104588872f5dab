/**
 * Property (issue 2, "CSV round trip"): random valid observations written as a tidy CSV, ingested
 * into a fresh store and queried back are the same observations: the same keys (indicator, country,
 * period, sex, area) and exactly the same values (doubles written in JavaScript's shortest
 * round-trip form, negatives, many decimals, exponents). The CSV is written with proper quoting
 * (fields with commas, quotes or spaces quoted and quotes doubled; sometimes every field quoted),
 * and the sex/area columns are present or absent at random. Then the same observations go out
 * through `export --csv` (exportSeries, what the command calls), and the exported file read back
 * must hold them unchanged.
 *
 * The CSV export is for people and other tools (it carries year, source, vintage and licence
 * columns beside the key); the store's own round trip is its Parquet export and `rebuild`, tested in
 * test/store/bundled.test.ts.
 *
 * Each run opens a fresh in-memory store with the reference tables, so the number of runs is small.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exportSeries } from '../../src/store/export.ts';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { DATA_DIR, loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-roundtrip-');
afterAll(() => tmp.cleanup());

/** ISO3 codes of the bundled geographies (data/geos.csv). */
const ISO3 = (
  parse(readFileSync(join(DATA_DIR, 'geos.csv'), 'utf8'), { columns: true }) as Array<{
    iso3: string;
  }>
)
  .map((g) => g.iso3)
  .filter((c) => /^[A-Z]{3}$/.test(c));

interface Obs {
  indicator: string;
  geo: string;
  period: string;
  sex: '_T' | 'F' | 'M';
  area: '_T' | 'U' | 'R';
  value: number;
}

// Indicator codes: a prefix no bundled indicator uses (so no breakdown alias applies), then
// letters, digits and the punctuation real codes carry, plus commas, quotes and inner spaces that
// only survive with proper CSV quoting.
const codeChar = fc.constantFrom(...'ABCXYZ019._-$', ',', '"', ' ');
const indicator = fc
  .array(codeChar, { minLength: 1, maxLength: 12 })
  .map((cs) => `PROP.${cs.join('')}`.trimEnd())
  .filter((c) => !c.endsWith(' '));

const observation = (dims: { sex: boolean; area: boolean }): fc.Arbitrary<Obs> =>
  fc.record({
    indicator,
    geo: fc.constantFrom(...ISO3),
    period: fc.integer({ min: 1960, max: 2035 }).map(String),
    sex: dims.sex ? fc.constantFrom('_T' as const, 'F' as const, 'M' as const) : fc.constant('_T' as const),
    area: dims.area ? fc.constantFrom('_T' as const, 'U' as const, 'R' as const) : fc.constant('_T' as const),
    value: fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      // many decimals: k / 10^d
      fc
        .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 12 }))
        .map(([k, d]) => k / 10 ** d),
    ),
  });

const keyOf = (o: Pick<Obs, 'indicator' | 'geo' | 'period' | 'sex' | 'area'>) =>
  [o.indicator, o.geo, o.period, o.sex, o.area].join('\u0000');

const scenario = fc
  .record({ sex: fc.boolean(), area: fc.boolean(), quoteAll: fc.boolean(), crlf: fc.boolean() })
  .chain((dims) =>
    fc.record({
      dims: fc.constant(dims),
      rows: fc.uniqueArray(observation(dims), { minLength: 1, maxLength: 40, selector: keyOf }),
    }),
  );

function cell(v: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function tidyCsv(rows: readonly Obs[], d: { sex: boolean; area: boolean; quoteAll: boolean; crlf: boolean }) {
  const cols = [
    'indicator',
    'geo',
    'period',
    'value',
    ...(d.sex ? ['sex'] : []),
    ...(d.area ? ['area'] : []),
  ];
  const eol = d.crlf ? '\r\n' : '\n';
  const lines = [cols.map((c) => cell(c, d.quoteAll)).join(',')];
  for (const r of rows) {
    const rec: Record<string, string> = {
      indicator: r.indicator,
      geo: r.geo,
      period: r.period,
      value: String(r.value),
      sex: r.sex,
      area: r.area,
    };
    lines.push(cols.map((c) => cell(rec[c]!, d.quoteAll)).join(','));
  }
  return lines.join(eol) + eol;
}

/** -0 is written "0" by String(): the store holds +0. */
const expected = (rows: readonly Obs[]) =>
  rows
    .map((r) => ({ ...r, value: r.value === 0 ? 0 : r.value }))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));

async function stored(store: Store): Promise<Obs[]> {
  const rows = await store.db.all<Obs & Record<string, unknown>>(
    `SELECT indicator, geo, period, sex, area, value FROM obs
     WHERE age = '_T' AND quintile = '_T' AND breakdown = '_T'`,
  );
  const all = (await store.db.value<number>('SELECT count(*) FROM obs')) ?? 0;
  expect(Number(all)).toBe(rows.length); // nothing landed in another dimension
  return rows.map((r) => ({ ...r, value: Number(r.value) })).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
}

let run = 0;

describe('CSV round trip (fast-check)', () => {
  it('tidy CSV → fresh store → query: the same keys and exactly the same values; export --csv keeps them', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ dims, rows }) => {
        const n = run++;
        const file = join(tmp.dir, `in-${n}.csv`);
        writeFileSync(file, tidyCsv(rows, dims));
        const store = await openStore({ path: ':memory:' });
        try {
          await loadReference(store);
          const rep = await ingestFile(store, file);
          expect(rep.rejected).toBe(0);
          expect(rep.loaded).toBe(rows.length);
          const want = expected(rows);
          expect(await stored(store)).toEqual(want);

          // Out through export --csv, read back: the same observations.
          const out = join(tmp.dir, `out-${n}.csv`);
          const codes = [...new Set(rows.map((r) => r.indicator))];
          const ex = await exportSeries(store, { indicators: codes, out });
          expect(ex.rows).toBe(rows.length);
          const back = (parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>)
            .map((r) => ({
              indicator: r.indicator!,
              geo: r.geo!,
              period: r.period!,
              sex: r.sex as Obs['sex'],
              area: r.area as Obs['area'],
              value: Number(r.value),
            }))
            .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
          expect(back).toEqual(want);
        } finally {
          store.close();
        }
      }),
      { numRuns: 20 },
    );
  }, 300_000);
});
