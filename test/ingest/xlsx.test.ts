import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawObservation } from '../../src/core/observation.ts';
import { countryCode } from '../../src/ingest/country-names.ts';
import { openSource } from '../../src/ingest/source.ts';
import { xlsxReader } from '../../src/ingest/xlsx.ts';
import { counting, expectPontisError, fixture, heapAfterGc, readWith, TmpDir } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());
const CORE = fixture('CoreHouseholdIndicators_Jun2019.xlsx');

async function workbook(name: string, fill: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Sheet1'));
  const buf = await wb.xlsx.writeBuffer();
  return tmp.file(name, new Uint8Array(buf as ArrayBuffer));
}

describe('xlsx on the real ITU Core Household Indicators workbook', () => {
  it('reads 728 values and counts 1,027 "..." cells', async () => {
    const { obs, meta } = await readWith('xlsx', CORE);
    // Counted from the sheet XML with a throwaway script: rows 5-199 (195 economies) x 9 value
    // columns (D G J M P S Y AC AF) = 1,755 cells: 728 numbers (stored as text), 1,027 "...".
    expect(obs.length).toBe(728);
    expect(meta.missing).toBe(1027);
    expect(meta.indicators.map((i) => i.code)).toEqual([
      'HH1',
      'HH2',
      'HH3f',
      'HH3m',
      'HH4',
      'HH6',
      'HH5',
      'HH7',
      'HH10',
    ]);
    expect(meta.indicators[1]).toEqual({ code: 'HH2', name: 'Proportion of households with TV' });
  });

  it('gives spot values with the sheet row, value and year columns, and the ISO3 code', async () => {
    const { obs } = await readWith('xlsx', CORE);
    const at = (line: number, indicator: string) =>
      obs.find((o) => o.line === line && o.indicator === indicator);
    // From the sheet XML: B6 Albania, G6 "99.2", I6 2015; B5 Afghanistan, AC5 "13.5", AE5 2017.
    expect(at(6, 'HH2')).toEqual({ line: 6, indicator: 'HH2', geo: 'ALB', period: '2015', value: '99.2' });
    expect(at(5, 'HH7')).toEqual({ line: 5, indicator: 'HH7', geo: 'AFG', period: '2017', value: '13.5' });
    // B40 China, AC40 "50.3", AD40 footnote 27 (ignored), AE40 2015.
    expect(at(40, 'HH7')).toMatchObject({ geo: 'CHN', period: '2015', value: '50.3' });
    // B199 Zimbabwe: D199 "60.7" / F199 2014; AF199 "67.9" / AH199 2014.
    expect(at(199, 'HH1')).toMatchObject({ geo: 'ZWE', period: '2014', value: '60.7' });
    expect(at(199, 'HH10')).toMatchObject({ geo: 'ZWE', period: '2014', value: '67.9' });
    // "..." is skipped: Afghanistan HH1 (D5).
    expect(at(5, 'HH1')).toBeUndefined();
    // This file has no italic value cell and no "-" value (the italic font is used by header cells
    // only; "-" appears only in the legend): checked in styles.xml and the sheet XML.
    expect(obs.some((o) => o.flags !== undefined)).toBe(false);
    // Every economy name maps to ISO3 (ITU short names such as "Hong Kong, China" included).
    expect(obs.filter((o) => !/^[A-Z]{3}$/.test(o.geo)).map((o) => o.geo)).toEqual([]);
  });
});

describe('xlsx ITU layout details (generated workbook)', () => {
  it('italic → flag E, "-" → "0", "..." skipped, unknown names passed on, stops at the notes', async () => {
    const p = await workbook('itu.xlsx', (ws) => {
      ws.getCell('A1').value = 'Core Household Indicators';
      ws.getCell('D2').value = 'Proportion of households with';
      ws.getCell('H2').value = 'Percentage of individuals using a';
      ws.getRow(3).values = [null, null, null, '(HH1)', '', 'Year', null, '(HH7)', '', 'Year'];
      ws.getRow(4).values = [null, null, null, 'Radio', '', 'of data', null, 'Internet', '', 'of data'];
      ws.getRow(5).values = [null, 1, 'Kenya', '12.5', '', 2017, null, '-', '3', 2018];
      ws.getCell('D5').font = { italic: true };
      ws.getRow(6).values = [null, 2, 'Atlantis', '...', '', null, null, 'abc', '', 2016];
      ws.getRow(7).values = [null, 3, 'Côte d’Ivoire', 40, '', 2019, null, '...', '', null];
      ws.getRow(9).values = [null, 'Note:', 'Figures in italics are ITU estimates.'];
      ws.getRow(10).values = [null, '-', 'Zero or quantity less than the unit shown.', '-'];
    });
    const { obs, meta } = await readWith('xlsx', p);
    expect(meta.missing).toBe(2);
    expect(meta.indicators).toEqual([
      { code: 'HH1', name: 'Proportion of households with Radio' },
      { code: 'HH7', name: 'Percentage of individuals using a Internet' },
    ]);
    expect(obs).toEqual([
      { line: 5, indicator: 'HH1', geo: 'KEN', period: '2017', value: '12.5', flags: 'E' },
      { line: 5, indicator: 'HH7', geo: 'KEN', period: '2018', value: '0' },
      // Unknown economy name and non-numeric value: passed on for the store to reject.
      { line: 6, indicator: 'HH7', geo: 'Atlantis', period: '2016', value: 'abc' },
      { line: 7, indicator: 'HH1', geo: 'CIV', period: '2019', value: '40' },
    ]);
  });
});

describe('xlsx tidy layout', () => {
  it('reads a tidy sheet with aliases and extra columns', async () => {
    const p = await workbook('tidy.xlsx', (ws) => {
      ws.addRow(['Series_Code', 'ISO3', 'Year', 'Value', 'Sex', 'Type_of_speed']);
      ws.addRow(['IT_NET_BBP', 'KEN', 2019, 0.6, '_T', '10MBPS']);
      ws.addRow(['IT_NET_BBP', 'KEN', 2019, '', '_T', 'ANYS']);
      ws.addRow([]);
      ws.addRow(['IT_NET_BBP', 'XXQ', '2019', 'n/a', 'F', '']);
    });
    const { obs, meta } = await readWith('xlsx', p);
    expect(meta.missing).toBe(1);
    expect(obs).toEqual([
      {
        line: 2,
        indicator: 'IT_NET_BBP',
        geo: 'KEN',
        period: '2019',
        value: '0.6',
        sex: '_T',
        breakdown: { Type_of_speed: '10MBPS' },
      },
      { line: 5, indicator: 'IT_NET_BBP', geo: 'XXQ', period: '2019', value: 'n/a', sex: 'F' },
    ]);
  });

  it('reports a sheet with neither layout, naming the header problem', async () => {
    const p = await workbook('wrong.xlsx', (ws) => {
      ws.addRow(['indicator', 'country', 'year', 'value']);
      ws.addRow(['A', 'KEN', 2019, 1]);
    });
    await expectPontisError(
      readWith('xlsx', p),
      'wrong.xlsx',
      'no worksheet has a tidy header',
      'missing required column geo',
    );
  });
});

describe('xlsx malformed files', () => {
  const real = readFileSync(CORE);
  it('reports a cut workbook, a non-workbook, a truncated gzip and an empty file', async () => {
    await expectPontisError(
      readWith('xlsx', tmp.file('cut.xlsx', real.subarray(0, real.length / 2))),
      'cut.xlsx',
      'not a readable XLSX workbook',
    );
    await expectPontisError(
      readWith('xlsx', tmp.file('text.xlsx', 'indicator,geo\n')),
      'text.xlsx',
      'not a readable XLSX workbook',
    );
    await expectPontisError(
      readWith('xlsx', tmp.truncatedGzip('x.xlsx.gz', real)),
      'x.xlsx.gz',
      'gzip stream is truncated or corrupt',
    );
    await expectPontisError(readWith('xlsx', tmp.file('e.xlsx', '')), 'e.xlsx', 'is empty');
  });

  it('sniffs zip archives only', () => {
    expect(xlsxReader.sniff(real.subarray(0, 4096).toString('latin1'), 'a.xlsx')).toBe(true);
    expect(xlsxReader.sniff('indicator,geo,period,value\n', 'a.xlsx')).toBe(false);
  });
});

describe('country names', () => {
  it('maps UN and ITU names, ignoring case, accents and punctuation', () => {
    expect(countryCode('Bolivia (Plurinational State of)')).toBe('BOL');
    expect(countryCode("cote d'ivoire")).toBe('CIV');
    expect(countryCode('Türkiye')).toBe('TUR');
    expect(countryCode('Korea (Rep. of)')).toBe('KOR');
    expect(countryCode(' Nowhere ')).toBe('Nowhere');
  });
});

/**
 * The same workbook with its entries in the order Excel writes them (workbook, shared strings and
 * styles before the worksheets; exceljs writes the worksheets first), so that exceljs's streaming
 * reader can parse a worksheet as it arrives.
 */
async function excelOrder(buf: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(buf);
  const rank = (name: string) =>
    name === '[Content_Types].xml'
      ? 0
      : name.startsWith('_rels/')
        ? 1
        : name === 'xl/_rels/workbook.xml.rels'
          ? 2
          : name === 'xl/workbook.xml'
            ? 3
            : name === 'xl/sharedStrings.xml'
              ? 4
              : name === 'xl/styles.xml'
                ? 5
                : name.startsWith('xl/worksheets/')
                  ? 7
                  : 6;
  const out = new JSZip();
  const names = Object.keys(zip.files)
    .filter((n) => !zip.files[n]?.dir)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  for (const n of names) out.file(n, await (zip.files[n] as JSZip.JSZipObject).async('uint8array'));
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Row i (0-based) of the generated tidy sheet, on sheet row i + 2. */
const genRow = (i: number) => {
  const c = i % 250;
  return {
    geo: `C${LETTERS[Math.floor(c / 26)]}${LETTERS[c % 26]}`,
    period: 1960 + (i % 60),
    value: i % 9 === 4 ? '...' : i / 7,
  };
};

describe('xlsx streams', () => {
  const N = 100_000;
  let big = '';
  let bigBytes: Uint8Array = new Uint8Array();
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    ws.addRow(['indicator', 'geo', 'period', 'value']);
    for (let i = 0; i < N; i++) {
      const r = genRow(i);
      ws.addRow(['IT_NET_BBP', r.geo, r.period, r.value]);
    }
    bigBytes = await excelOrder(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    big = tmp.file('big.xlsx', bigBytes);
  }, 60_000);

  it('yields the first batch after reading a small part of a 100,000-row workbook', async () => {
    const { src, pulled } = counting(await openSource(big), 'bytes');
    const result = await xlsxReader.read(src, { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const obs: RawObservation[] = [];
    let atFirst = -1;
    for await (const batch of result.batches) {
      if (atFirst < 0) atFirst = pulled[0] ?? 0;
      obs.push(...batch);
    }
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(bigBytes.length / 4);
    expect(pulled).toEqual([bigBytes.length]); // the whole archive is still read through
    // i % 9 === 4 for i = 4, 13, …, 99,994: (99,994 - 4) / 9 + 1 = 11,111 "...".
    expect(result.meta.missing).toBe(11_111);
    expect(obs.length).toBe(N - 11_111);
    // Row i = 77,777 is on sheet row 77,779: 77777 % 250 = 27 = 1 * 26 + 1 → "CBB",
    // 1960 + 77777 % 60 = 1960 + 17 = 1977, 77777 / 7 = 11111.
    expect(obs.find((o) => o.line === 77_779)).toEqual({
      line: 77_779,
      indicator: 'IT_NET_BBP',
      geo: 'CBB',
      period: '1977',
      value: '11111',
    });
  }, 60_000);

  it('keeps memory bounded: the heap after the last batch is about what it was after the second', async () => {
    // Each row kept alive by mistake would cost ~2 KB: 100,000 rows, ~200 MB.
    const result = await xlsxReader.read(await openSource(big), { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const heap: number[] = [];
    let k = 0;
    for await (const _ of result.batches) {
      if (++k === 2) heap.push(heapAfterGc());
    }
    heap.push(heapAfterGc());
    expect((heap[1] as number) - (heap[0] as number)).toBeLessThan(30 * 2 ** 20);
  }, 60_000);

  it('reports an archive cut short: at once on disk, after the first batches inside a gzip', async () => {
    const cut = bigBytes.subarray(0, Math.floor(bigBytes.length * 0.7));
    // On disk: the missing end record is seen before anything is read.
    await expectPontisError(
      xlsxReader.read(await openSource(tmp.file('cut-big.xlsx', cut))),
      'cut-big.xlsx is not a readable XLSX workbook (no end-of-central-directory record',
    );
    // Gzipped (a whole gzip of the cut archive): unzip runs out in the middle of the worksheet.
    const result = await xlsxReader.read(await openSource(tmp.file('cut-big.xlsx.gz', gzipSync(cut))), {
      batchSize: 1000,
    });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    let seen = 0;
    await expectPontisError(
      (async () => {
        for await (const b of result.batches) seen += b.length;
      })(),
      'cut-big.xlsx.gz is not a readable XLSX workbook (FILE_ENDED)',
    );
    expect(seen).toBeGreaterThan(10_000);
    // The gzip itself cut: the gzip error is reported, not the zip one.
    await expectPontisError(
      readWith('xlsx', tmp.truncatedGzip('big.xlsx.gz', bigBytes)),
      'big.xlsx.gz: gzip stream is truncated or corrupt',
    );
  }, 60_000);
});

describe('xlsx streaming reader details', () => {
  it('keeps characters cut between chunks (shared strings and inline strings)', async () => {
    // 4,000 rows of "Côte d’Ivoire i": 3 multi-byte characters per row, far more than one chunk.
    const names = (i: number) => `Côte d’Ivoire ${i} é`;
    const shared = new ExcelJS.Workbook();
    const ws = shared.addWorksheet('S');
    ws.addRow(['indicator', 'geo', 'period', 'value']);
    for (let i = 0; i < 4000; i++) ws.addRow(['X', names(i), 2019, i]);
    const p1 = tmp.file(
      'shared.xlsx',
      await excelOrder(new Uint8Array((await shared.xlsx.writeBuffer()) as ArrayBuffer)),
    );
    // Inline strings (no shared strings part): exceljs's streaming writer without shared strings.
    const p2 = join(tmp.dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: p2, useSharedStrings: false });
    const ws2 = writer.addWorksheet('S');
    ws2.addRow(['indicator', 'geo', 'period', 'value']).commit();
    for (let i = 0; i < 4000; i++) ws2.addRow(['X', names(i), 2019, i]).commit();
    ws2.commit();
    await writer.commit();
    for (const p of [p1, p2]) {
      const { obs } = await readWith('xlsx', p);
      expect(obs.length).toBe(4000);
      expect(obs.filter((o, i) => o.geo !== names(i)).map((o) => o.geo)).toEqual([]);
    }
  });

  it('reads dates, numbers, formula results, booleans and rich text as the workbook reader did', async () => {
    const p = await workbook('types.xlsx', (ws) => {
      ws.addRow(['indicator', 'geo', 'period', 'value', 'note']);
      ws.addRow(['A', 'KEN', new Date(Date.UTC(2019, 6, 1)), 0.1, true]);
      ws.addRow([
        'A',
        'KEN',
        2020,
        { formula: '1/4', result: 0.25 },
        { richText: [{ text: 'ri' }, { text: 'ch' }] },
      ]);
      ws.addRow(['A', 'KEN', '2021', { formula: 'A1', result: 'text' }, 12345678901234]);
    });
    const { obs } = await readWith('xlsx', p);
    expect(obs).toEqual([
      {
        line: 2,
        indicator: 'A',
        geo: 'KEN',
        period: '2019-07-01',
        value: '0.1',
        breakdown: { note: 'true' },
      },
      { line: 3, indicator: 'A', geo: 'KEN', period: '2020', value: '0.25', breakdown: { note: 'rich' } },
      {
        line: 4,
        indicator: 'A',
        geo: 'KEN',
        period: '2021',
        value: 'text',
        breakdown: { note: '12345678901234' },
      },
    ]);
  });

  it('reads the first matching worksheet in the archive; reports each one that does not match', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['About this file']);
    const data = wb.addWorksheet('Data');
    data.addRow(['indicator', 'geo', 'period', 'value']);
    data.addRow(['A', 'KEN', 2019, 1]);
    const tidy2 = wb.addWorksheet('More');
    tidy2.addRow(['indicator', 'geo', 'period', 'value']);
    tidy2.addRow(['B', 'UGA', 2019, 2]);
    const p = tmp.file('sheets.xlsx', new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    const { obs } = await readWith('xlsx', p);
    expect(obs).toEqual([{ line: 2, indicator: 'A', geo: 'KEN', period: '2019', value: '1' }]);

    const bad = new ExcelJS.Workbook();
    bad.addWorksheet('First').addRow(['indicator', 'country', 'year', 'value']);
    bad.addWorksheet('Second').addRow(['nothing here']);
    const pb = tmp.file('bad-sheets.xlsx', new Uint8Array((await bad.xlsx.writeBuffer()) as ArrayBuffer));
    await expectPontisError(
      readWith('xlsx', pb),
      'bad-sheets.xlsx: no worksheet has a tidy header',
      'sheet "First" row 1: ',
      'missing required column geo',
    );
  });

  it('reports a zip archive that is not a workbook', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'not a workbook');
    const p = tmp.file('other.xlsx', await zip.generateAsync({ type: 'uint8array' }));
    await expectPontisError(
      readWith('xlsx', p),
      'other.xlsx is not a readable XLSX workbook (no worksheet in the archive)',
    );
  });
});
