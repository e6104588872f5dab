import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { wdiCsvReader } from '../../src/ingest/wdi-csv.ts';
import { expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());
const INTERNET = fixture('API_IT.NET.USER.ZS_DS2_en_csv_v2.csv');

describe('wdi-csv on the real per-indicator download (Internet users)', () => {
  it('reads every non-empty cell and counts the empty ones', async () => {
    const { obs, meta, batches } = await readWith('wdi-csv', INTERNET);
    // Counted with Python's csv module: 264 rows x 58 year columns (1960-2017) = 15,312 cells,
    // 5,970 non-empty and 9,342 empty (format-samples/README.md also gives 9,342).
    expect(obs.length).toBe(5970);
    expect(meta.missing).toBe(9342);
    expect(batches).toEqual([5970]);
    expect(meta.vintage).toBe('2018-05-02'); // "Last Updated Date","2018-05-02", line 3
    expect(meta.source).toBe('World Development Indicators');
    expect(meta.indicators).toEqual([
      { code: 'IT.NET.USER.ZS', name: 'Individuals using the Internet (% of population)' },
    ]);
  });

  it('gives spot values from the file with their physical line', async () => {
    const { obs } = await readWith('wdi-csv', INTERNET);
    const find = (geo: string, period: string) => obs.find((o) => o.geo === geo && o.period === period);
    // Values read from the raw file: line 7 is Afghanistan, line 125 Kenya, line 263 World.
    expect(find('AFG', '2016')).toEqual({
      line: 7,
      indicator: 'IT.NET.USER.ZS',
      geo: 'AFG',
      period: '2016',
      value: '10.5957264186601',
    });
    expect(find('KEN', '2015')).toMatchObject({ line: 125, value: '21' });
    expect(find('WLD', '2016')).toMatchObject({ line: 263, value: '45.784502792674' });
    // "0" is a real value: Arab World (line 11) has 0 Internet users in 1990.
    expect(find('ARB', '1990')).toMatchObject({ line: 11, value: '0' });
    // 224 rows have "0" in 1990 (counted with Python).
    expect(obs.filter((o) => o.period === '1990' && o.value === '0').length).toBe(224);
    // No observation for an empty cell: Afghanistan 2017 is "".
    expect(find('AFG', '2017')).toBeUndefined();
  });

  it('splits into batches of the requested size', async () => {
    const { obs, batches } = await readWith('wdi-csv', INTERNET, 2000);
    expect(batches).toEqual([2000, 2000, 1970]);
    expect(obs.length).toBe(5970);
  });

  it('reads the bulk WDICSV layout: no preamble, unquoted, several indicators', async () => {
    const csv = [
      'Country Name,Country Code,Indicator Name,Indicator Code,2000,2001,2002',
      'Kenya,KEN,Individuals using the Internet (% of population),IT.NET.USER.ZS,0.3,,0.7',
      'Kenya,KEN,"Mobile cellular subscriptions (per 100 people)",IT.CEL.SETS.P2,0.4,1.8,',
      'Arab World,ARB,"Mobile cellular subscriptions (per 100 people)",IT.CEL.SETS.P2,n/a,XXX,2',
    ].join('\n');
    const { obs, meta } = await readWith('wdi-csv', tmp.file('WDICSV.csv', csv));
    expect(meta.vintage).toBeUndefined();
    expect(meta.indicators.map((i) => i.code)).toEqual(['IT.NET.USER.ZS', 'IT.CEL.SETS.P2']);
    expect(meta.missing).toBe(2);
    expect(obs.map((o) => `${o.line} ${o.indicator} ${o.geo} ${o.period} ${o.value}`)).toEqual([
      '2 IT.NET.USER.ZS KEN 2000 0.3',
      '2 IT.NET.USER.ZS KEN 2002 0.7',
      '3 IT.CEL.SETS.P2 KEN 2000 0.4',
      '3 IT.CEL.SETS.P2 KEN 2001 1.8',
      // Non-numeric values are passed on as written: the store rejects them with the line.
      '4 IT.CEL.SETS.P2 ARB 2000 n/a',
      '4 IT.CEL.SETS.P2 ARB 2001 XXX',
      '4 IT.CEL.SETS.P2 ARB 2002 2',
    ]);
  });

  it('passes unknown country codes and duplicate rows through', async () => {
    const csv = [
      'Country Name,Country Code,Indicator Name,Indicator Code,2000',
      'Nowhere,XXQ,Name,IND.A,1',
      'Kenya,KEN,Name,IND.A,2',
      'Kenya,KEN,Name,IND.A,3',
    ].join('\r\n');
    const { obs } = await readWith('wdi-csv', tmp.file('dups.csv', csv));
    expect(obs.map((o) => [o.line, o.geo, o.value])).toEqual([
      [2, 'XXQ', '1'],
      [3, 'KEN', '2'],
      [4, 'KEN', '3'],
    ]);
  });

  it('sniffs both layouts', () => {
    const head = readFileSync(INTERNET, 'utf8')
      .replace(/^\uFEFF/, '')
      .slice(0, 2000);
    expect(wdiCsvReader.sniff(head, 'x.csv')).toBe(true);
    expect(wdiCsvReader.sniff('Country Name,Country Code,Indicator Name,Indicator Code,1960\n', 'x')).toBe(
      true,
    );
    expect(wdiCsvReader.sniff('indicator,geo,period,value\n', 'x')).toBe(false);
  });
});

describe('wdi-csv malformed files', () => {
  it('rejects a file without the WDI header', async () => {
    const p = tmp.file('nohdr.csv', 'Country,Code,1960\nKenya,KEN,1\n');
    await expectPontisError(readWith('wdi-csv', p), 'nohdr.csv', 'no header row "Country Name, Country Code');
  });

  it('rejects a header column that is not a year', async () => {
    const p = tmp.file(
      'bad-year.csv',
      'Country Name,Country Code,Indicator Name,Indicator Code,1960,Notes\n',
    );
    const err = await expectPontisError(
      readWith('wdi-csv', p),
      'bad-year.csv:1',
      'column 6 "Notes" is not a year',
    );
    expect(err.location).toMatchObject({ line: 1, field: 'Notes' });
  });

  it('reports a truncated gzip of the real file', async () => {
    const p = tmp.truncatedGzip('wdi.csv.gz', readFileSync(INTERNET));
    await expectPontisError(readWith('wdi-csv', p), 'wdi.csv.gz', 'gzip stream is truncated or corrupt');
  });

  it('reads a complete gzip of the real file the same as the plain file', async () => {
    const { gzipSync } = await import('node:zlib');
    const p = tmp.file('wdi-ok.csv.gz', gzipSync(readFileSync(INTERNET)));
    const { obs, meta } = await readWith('wdi-csv', p);
    expect([obs.length, meta.missing]).toEqual([5970, 9342]);
  });

  it('reports latin1 and UTF-16 files', async () => {
    const text = "Country Name,Country Code,Indicator Name,Indicator Code,2000\nCôte d'Ivoire,CIV,X,X,1\n";
    await expectPontisError(
      readWith('wdi-csv', tmp.file('l1.csv', latin1(text))),
      'l1.csv',
      'not valid UTF-8',
    );
    await expectPontisError(readWith('wdi-csv', tmp.file('u16.csv', utf16le(text))), 'u16.csv', 'UTF-16');
  });

  it('reports an empty file', async () => {
    await expectPontisError(readWith('wdi-csv', tmp.file('empty.csv', '')), 'empty.csv', 'is empty');
  });

  it('reports an unclosed quote with its line', async () => {
    const p = tmp.file(
      'quote.csv',
      'Country Name,Country Code,Indicator Name,Indicator Code,2000\nKenya,KEN,"X,IND,1\n',
    );
    await expectPontisError(readWith('wdi-csv', p), 'quote.csv:2', 'never closed');
  });
});
