import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { readFile } from '../../src/ingest/index.ts';
import type { FormatId } from '../../src/ingest/reader.ts';
import { fixture, TmpDir } from './helpers.ts';

/**
 * Property: whatever the bytes, a reader either yields observations or throws a PontisError; never
 * another exception type (TypeError, RangeError, a csv-parse or exceljs error…).
 */

const tmp = new TmpDir();
afterAll(() => tmp.remove());

const head = (name: string, bytes: number) => readFileSync(fixture(name)).subarray(0, bytes);
const wbRows = JSON.parse(gunzipSync(readFileSync(fixture('SP.POP.TOTL.json.gz'))).toString('utf8')) as [
  unknown,
  unknown[],
];

/** A two-sheet workbook written by exceljs: a notes sheet, then a tidy sheet with a date and a formula. */
async function smallWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['Generated for the property test']);
  const ws = wb.addWorksheet('Data');
  ws.addRow(['indicator', 'geo', 'period', 'value', 'sex']);
  ws.addRow(['IT_USE', 'KEN', new Date(Date.UTC(2019, 0, 1)), 22.6, '_T']);
  ws.addRow(['IT_USE', 'Côte d’Ivoire', 2019, { formula: '1+1', result: 2 }, 'F']);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Small real inputs per format, to mutate. */
const SEEDS: Record<FormatId, Uint8Array[]> = {
  'tidy-csv': [
    Buffer.from('indicator,geo,period,value,sex\nIT_USE,KEN,2019,22.6,_T\nIT_USE,UGA,2019,"1,5",F\n'),
  ],
  'wdi-csv': [head('API_IT.NET.USER.ZS_DS2_en_csv_v2.csv', 6000)],
  'wb-api-json': [
    Buffer.from(JSON.stringify([wbRows[0], wbRows[1].slice(0, 12)])),
    // Over 64 KiB, one row per line: the streaming parser gets it in more than one chunk.
    Buffer.from(JSON.stringify([wbRows[0], wbRows[1].slice(0, 400)], null, 1)),
  ],
  'unsdg-json': [readFileSync(fixture('unsdg_series-data_handmade.json'))],
  'sdmx-json': [
    readFileSync(fixture('agri_sdmx-json-1.0.json')),
    readFileSync(fixture('agri_sdmx-json-2.0.json')),
    readFileSync(fixture('exr-time-series_sdmx-json-2.0.json')),
  ],
  'sdmx-csv': [
    readFileSync(fixture('estat_ei_bpm6ca_q_sdmx-csv-2.0_labels.csv')),
    head('bis_der_sdmx-csv-1.0.csv', 5000),
  ],
  'itu-csv': [head('active-mobile-broadband-subscriptions_1711147050645.csv', 8000)],
  xlsx: [
    readFileSync(fixture('CoreHouseholdIndicators_Jun2019.xlsx')), // Excel's order: parsed as it streams
    await smallWorkbook(), // exceljs's order: the worksheet is spooled until the shared strings are read
  ],
};

const FORMAT_LIST = Object.keys(SEEDS) as FormatId[];

/** What reading `bytes` threw (undefined when it read through). */
async function outcome(bytes: Uint8Array, format?: FormatId): Promise<unknown> {
  const p = tmp.file('prop.bin', bytes);
  try {
    const r = await readFile(p, format ? { format, batchSize: 500 } : { batchSize: 500 });
    if (r.result.kind === 'stream') {
      for await (const batch of r.result.batches) {
        for (const o of batch) {
          if (typeof o.value !== 'string' || typeof o.geo !== 'string' || !Number.isInteger(o.line)) {
            return new Error(`bad observation ${JSON.stringify(o)}`);
          }
        }
      }
    }
    return undefined;
  } catch (e) {
    return e;
  }
}

/** Fails (showing the error) unless `thrown` is nothing or a PontisError naming the file. */
function expectCleanOutcome(thrown: unknown) {
  if (thrown === undefined) return;
  expect(thrown, String(thrown instanceof Error ? thrown.stack : thrown)).toBeInstanceOf(PontisError);
  expect((thrown as PontisError).message).toContain('prop.bin');
}

type Edit = { at: number; byte: number; op: 'set' | 'insert' | 'delete' };

function mutate(seed: Uint8Array, edits: Edit[], cut: number | null): Uint8Array {
  const out = Array.from(seed);
  for (const e of edits) {
    if (out.length === 0) break;
    const i = e.at % out.length;
    if (e.op === 'set') out[i] = e.byte;
    else if (e.op === 'insert') out.splice(i, 0, e.byte);
    else out.splice(i, 1);
  }
  const bytes = Uint8Array.from(out);
  return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
}

const edits = fc.array(
  fc.record({
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    op: fc.constantFrom<Edit['op']>('set', 'insert', 'delete'),
  }),
  { maxLength: 6 },
);
// Bytes that matter to the parsers, to hit interesting paths more often than uniform bytes do.
const interesting = fc.constantFrom(
  ...[0x22, 0x2c, 0x3b, 0x0a, 0x0d, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x30, 0xc3, 0xff, 0x00],
);
const syntaxEdits = fc.array(
  fc.record({ at: fc.nat(), byte: interesting, op: fc.constantFrom<Edit['op']>('set', 'insert', 'delete') }),
  { maxLength: 4 },
);

describe('readers never throw anything but PontisError', () => {
  for (const format of FORMAT_LIST) {
    it(`${format}: random bytes`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
          expectCleanOutcome(await outcome(bytes, format));
        }),
        { numRuns: 25 },
      );
    });

    it(`${format}: mutations of a real file (plain and gzipped)`, async () => {
      const seeds = SEEDS[format];
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: seeds.length - 1 }),
          fc.oneof(edits, syntaxEdits),
          fc.option(fc.nat(), { nil: null }),
          fc.boolean(),
          async (k, es, cut, gz) => {
            const seed = seeds[k] as Uint8Array;
            const bytes = gz ? mutate(gzipSync(seed), es, cut) : mutate(seed, es, cut);
            expectCleanOutcome(await outcome(bytes, format));
          },
        ),
        { numRuns: format === 'xlsx' ? 20 : 40 },
      );
    });
  }

  it('JSON readers: any JSON value, also in the shape of each format', async () => {
    const v = fc.jsonValue({ maxDepth: 3 });
    const shaped: fc.Arbitrary<[FormatId, unknown]>[] = [
      fc.tuple(fc.constantFrom<FormatId>('wb-api-json', 'unsdg-json', 'sdmx-json'), v),
      fc.tuple(
        fc.constant<FormatId>('wb-api-json'),
        fc.tuple(
          fc.dictionary(fc.string(), v),
          fc.array(
            fc.dictionary(
              fc.constantFrom('indicator', 'country', 'countryiso3code', 'date', 'value', 'obs_status'),
              v,
            ),
          ),
        ),
      ),
      fc.tuple(
        fc.constant<FormatId>('unsdg-json'),
        fc.record({
          data: fc.array(
            fc.dictionary(
              fc.constantFrom(
                'series',
                'geoAreaCode',
                'timePeriodStart',
                'value',
                'attributes',
                'dimensions',
              ),
              v,
            ),
          ),
        }),
      ),
      fc.tuple(
        fc.constant<FormatId>('sdmx-json'),
        fc.record({
          data: fc.record({
            dataSets: fc.array(
              fc.dictionary(fc.constantFrom('structure', 'series', 'observations', 'attributes', 'links'), v),
            ),
            structure: fc.dictionary(
              fc.constantFrom('dimensions', 'attributes', 'measures', 'links', 'name'),
              v,
            ),
          }),
        }),
      ),
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(...shaped), async ([format, doc]) => {
        expectCleanOutcome(await outcome(Buffer.from(JSON.stringify(doc) ?? 'null'), format));
      }),
      { numRuns: 150 },
    );
  });

  it('format detection: random bytes and mutations of any real file', async () => {
    const all = FORMAT_LIST.flatMap((f) => SEEDS[f]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc
            .tuple(fc.nat({ max: all.length - 1 }), syntaxEdits)
            .map(([k, es]) => mutate(all[k] as Uint8Array, es, null)),
        ),
        async (bytes) => {
          expectCleanOutcome(await outcome(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });
});
