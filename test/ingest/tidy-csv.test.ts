import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readerFor } from '../../src/ingest/detect.ts';
import { digestContent, openSource } from '../../src/ingest/source.ts';
import { tidyCsvReader } from '../../src/ingest/tidy-csv.ts';
import { expectPontisError, latin1, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());

async function read(path: string) {
  return tidyCsvReader.read(await openSource(path));
}

describe('tidy-csv', () => {
  it('maps the header and hands the file to the bulk loader', async () => {
    const p = tmp.file(
      't.csv',
      'indicator,geo,period,value,sex,flags,TYPE_OF_SPEED\nIT_NET_BBP,KEN,2019,0.6,_T,E,10MBPS\n',
    );
    const r = await read(p);
    expect(r).toEqual({
      kind: 'bulk-csv',
      meta: { indicators: [], missing: 0 },
      path: p,
      gzip: false,
      delimiter: ',',
      columns: {
        indicator: 'indicator',
        geo: 'geo',
        period: 'period',
        value: 'value',
        sex: 'sex',
        flags: 'flags',
      },
      extraColumns: ['TYPE_OF_SPEED'],
      headerLines: 1,
    });
  });

  it('accepts aliases case-insensitively and sniffs ; and tab', async () => {
    const semi = await read(
      tmp.file(
        's.csv',
        'Series_Code;ISO3;Year;OBS_VALUE;Urbanisation;Income_Wealth_Quantile;OBS_STATUS;Unit\n',
      ),
    );
    expect(semi.kind === 'bulk-csv' && semi.delimiter).toBe(';');
    expect(semi.kind === 'bulk-csv' && semi.columns).toEqual({
      indicator: 'Series_Code',
      geo: 'ISO3',
      period: 'Year',
      value: 'OBS_VALUE',
      area: 'Urbanisation',
      quintile: 'Income_Wealth_Quantile',
      flags: 'OBS_STATUS',
      unit: 'Unit',
    });
    const tab = await read(
      tmp.file('t.tsv', 'series\tref_area\ttime_period\tvalue\tage\nA\tKEN\t2019\t1\tY15T24\n'),
    );
    expect(tab.kind === 'bulk-csv' && [tab.delimiter, tab.columns.geo, tab.columns.age]).toEqual([
      '\t',
      'ref_area',
      'age',
    ]);
  });

  it('works on gzipped files (BOM and CRLF too)', async () => {
    const p = tmp.file('g.csv.gz', gzipSync('\uFEFF"indicator","geo","time","value"\r\nA,KEN,2019,1\r\n'));
    const r = await read(p);
    expect(r.kind === 'bulk-csv' && [r.gzip, r.columns.period]).toEqual([true, 'time']);
  });

  it('ignores the unnamed column a trailing delimiter leaves', async () => {
    const r = await read(tmp.file('trail.csv', 'indicator,geo,period,value,\nA,KEN,2019,1,\n'));
    expect(r.kind === 'bulk-csv' && r.extraColumns).toEqual([]);
  });

  it('reports missing required columns, naming them and the columns found', async () => {
    const p = tmp.file('wrong.csv', 'indicator,country,year,val\nA,KEN,2019,1\n');
    const err = await expectPontisError(
      read(p),
      'wrong.csv:1',
      'missing required columns geo, value',
      'found columns: "indicator", "country", "year", "val"',
    );
    expect(err.location).toMatchObject({ file: p, line: 1, field: 'geo,value' });
  });

  it('reports duplicate and conflicting columns', async () => {
    await expectPontisError(
      read(tmp.file('dup.csv', 'indicator,geo,period,value,Value\n')),
      'dup.csv:1',
      'duplicate column name "Value"',
    );
    await expectPontisError(
      read(tmp.file('two.csv', 'indicator,geo,iso3,period,value\n')),
      'two.csv:1',
      '"geo" and "iso3" both mean geo',
    );
  });

  it('reports a truncated gzip, wrong encodings and an empty file', async () => {
    // The reader checks the head; the rest of the file is checked by digestContent, which the
    // loader runs in the read that computes the checksum. Both together, as the loader uses them:
    const read = async (path: string) => {
      const src = await openSource(path);
      const r = await tidyCsvReader.read(src);
      await digestContent(src, { text: true });
      return r;
    };
    let body = 'indicator,geo,period,value\n';
    for (let i = 0; i < 5000; i++) body += `IT_USE,C${i % 250},${1990 + (i % 30)},${(i * 7.31) % 100}\n`;
    await expectPontisError(
      read(tmp.truncatedGzip('cut.csv.gz', body)),
      'cut.csv.gz',
      'gzip stream is truncated or corrupt',
    );
    // Latin-1 in a data row, far from the header: found because the whole file is decoded.
    await expectPontisError(
      read(tmp.file('l1.csv', latin1(`${body}IT_USE,CIV,2019,1,Côte\n`))),
      'l1.csv',
      'not valid UTF-8',
    );
    await expectPontisError(read(tmp.file('u16.csv', utf16le(body))), 'u16.csv', 'UTF-16');
    await expectPontisError(read(tmp.file('empty.csv', '\n\n')), 'empty.csv', 'is empty');
  });

  it('leaves row-level problems to the store (only the header is checked)', async () => {
    const p = tmp.file('rows.csv', 'indicator,geo,period,value\nA,XXQ,2019,abc\nA,XXQ,2019,abc\n');
    const r = await readerFor('tidy-csv').read(await openSource(p));
    expect(r.kind).toBe('bulk-csv');
  });

  it('sniffs a tidy header only', () => {
    expect(tidyCsvReader.sniff('geo;indicator;year;value\n', 'x')).toBe(true);
    expect(tidyCsvReader.sniff('a,b,c\n', 'x')).toBe(false);
  });
});
