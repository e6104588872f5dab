import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readers } from '../../src/ingest/detect.ts';
import { readFile } from '../../src/ingest/index.ts';
import { FORMATS, type FormatId } from '../../src/ingest/reader.ts';
import { collect, expectPontisError, fixture, TmpDir } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());

describe('detectFormat / readFile', () => {
  it('has one reader per format', () => {
    expect(readers.map((r) => r.format).sort()).toEqual([...FORMATS].sort());
  });

  const cases: [string, FormatId][] = [
    ['API_IT.NET.USER.ZS_DS2_en_csv_v2.csv', 'wdi-csv'],
    ['SP.POP.TOTL.json.gz', 'wb-api-json'],
    ['unsdg_series-data_handmade.json', 'unsdg-json'],
    ['agri_sdmx-json-1.0.json', 'sdmx-json'],
    ['agri_sdmx-json-2.0.json', 'sdmx-json'],
    ['exr-time-series_sdmx-json-2.0.json', 'sdmx-json'],
    ['bis_der_sdmx-csv-1.0.csv', 'sdmx-csv'],
    ['estat_ei_bpm6ca_q_sdmx-csv-1.0_labels.csv', 'sdmx-csv'],
    ['estat_ei_bpm6ca_q_sdmx-csv-2.0_labels.csv', 'sdmx-csv'],
    ['active-mobile-broadband-subscriptions_1711147050645.csv', 'itu-csv'],
    ['CoreHouseholdIndicators_Jun2019.xlsx', 'xlsx'],
  ];
  for (const [file, format] of cases) {
    it(`detects ${file} as ${format}`, async () => {
      const r = await readFile(fixture(file), { displayName: `fixtures/${file}` });
      expect(r.format).toBe(format);
      expect(r.source.file).toBe(`fixtures/${file}`);
    });
  }

  it('detects gzipped and tidy files whatever their names', async () => {
    const wdi = tmp.file(
      'download.bin',
      gzipSync(readFileSync(fixture('API_IT.NET.USER.ZS_DS2_en_csv_v2.csv'))),
    );
    const r = await readFile(wdi, { batchSize: 1000 });
    expect(r.format).toBe('wdi-csv');
    const { batches } = await collect(r.result);
    expect(batches.length).toBe(6); // 5,970 observations in batches of 1,000
    const tidy = await readFile(tmp.file('t.txt', 'geo;indicator;year;value\nKEN;A;2019;1\n'));
    expect(tidy.format).toBe('tidy-csv');
  });

  it('honours --format and rejects unknown formats', async () => {
    const r = await readFile(fixture('agri_sdmx-json-1.0.json'), { format: 'sdmx-json' });
    expect(r.result.kind).toBe('stream');
    const err = await expectPontisError(
      readFile(fixture('agri_sdmx-json-1.0.json'), { format: 'parquet' as FormatId }),
      'unknown format "parquet"',
    );
    expect(err.code).toBe('usage');
  });

  it('says when it cannot tell the format', async () => {
    const p = tmp.file('notes.txt', 'Dear colleagues,\nplease find the data attached.\n');
    await expectPontisError(
      readFile(p, { displayName: 'notes.txt' }),
      'cannot tell the format of notes.txt; use --format with one of tidy-csv',
      'xlsx',
    );
    await expectPontisError(
      readFile(tmp.file('obj.json', '{"a": 1}'), { displayName: 'obj.json' }),
      'cannot tell the format of obj.json',
    );
  });

  it('reports a file that does not exist', async () => {
    const err = await expectPontisError(readFile('/nonexistent/x.csv'), '/nonexistent/x.csv');
    expect(err.code).toBe('not_found');
  });
});

describe('detectFormat and encodings', () => {
  const tmp2 = new TmpDir();
  afterAll(() => tmp2.remove());

  it('names the encoding problem of a text file it cannot recognise', async () => {
    const text = 'Country Name,Country Code,Indicator Name,Indicator Code,2000\nCôte d’Ivoire,CIV,X,X,1\n';
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    await expectPontisError(
      readFile(tmp2.file('u16.csv', u16), { displayName: 'u16.csv' }),
      'u16.csv is UTF-16 encoded',
    );
    // Latin-1 text that still looks like a WDI file is detected, then its reader reports the encoding.
    const l1 = Buffer.from(text.replace('’', "'"), 'latin1');
    await expectPontisError(
      (async () => {
        const r = await readFile(tmp2.file('l1.csv', l1), { displayName: 'l1.csv' });
        return collect(r.result);
      })(),
      // The header line is 61 bytes; "C" is byte 61 and the latin1 ô byte 62.
      'l1.csv is not valid UTF-8 (near byte 62)',
    );
  });
});
