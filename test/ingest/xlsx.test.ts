import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { countryCode } from '../../src/ingest/country-names.ts';
import { xlsxReader } from '../../src/ingest/xlsx.ts';
import { expectPontisError, fixture, readWith, TmpDir } from './helpers.ts';

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
