import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ituCsvReader } from '../../src/ingest/itu-csv.ts';
import { expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());
const SUBS = fixture('active-mobile-broadband-subscriptions_1711147050645.csv');

describe('itu-csv on the real DataHub export (active mobile-broadband subscriptions)', () => {
  it('reads 2,783 records despite embedded CRLF and no final newline', async () => {
    const { obs, meta } = await readWith('itu-csv', SUBS);
    // Counted with Python's csv module: 2,783 records in 2,796 physical lines (2,795 LF).
    expect(obs.length).toBe(2783);
    expect(meta.missing).toBe(0);
    expect(meta.indicators).toEqual([
      { code: 'i271mw', name: 'Active mobile-broadband subscriptions', unit: 'count' },
    ]);
    // The last record starts on line 2,796 (Curaçao 2021, 98727) and has no newline after it.
    expect(obs.at(-1)).toEqual({
      line: 2796,
      indicator: 'i271mw',
      geo: 'CUW',
      period: '2021',
      value: '98727',
      flags: 'E',
      unit: 'count',
    });
  });

  it('keeps physical line numbers across quoted line breaks', async () => {
    const { obs } = await readWith('itu-csv', SUBS);
    // Sri Lanka 2010 spans lines 521-524 (dataSource "TRCSL.\r\n\r\n\r\nTRCSL"); the next record is line 525.
    const lka = obs.find((o) => o.geo === 'LKA' && o.period === '2010');
    expect(lka).toMatchObject({ line: 521, value: '294000' });
    expect(lka?.flags).toBeUndefined();
    expect(obs[obs.findIndex((o) => o.geo === 'LKA' && o.period === '2010') + 1]?.line).toBe(525);
    // Mexico 2010 spans lines 1482-1484.
    expect(obs.find((o) => o.geo === 'MEX' && o.period === '2010')).toMatchObject({
      line: 1482,
      value: '4.82093e+006',
    });
  });

  it('passes scientific notation through, flags ITU estimates, maps WBG to PSE', async () => {
    const { obs } = await readWith('itu-csv', SUBS);
    // Line 9: Afghanistan 2015 "1.91018e+006" (1,592 values use this notation; DuckDB casts it).
    expect(obs.find((o) => o.line === 9)).toMatchObject({
      geo: 'AFG',
      period: '2015',
      value: '1.91018e+006',
    });
    expect(obs.filter((o) => /e\+\d{3}$/.test(o.value)).length).toBe(1592);
    // 422 records have a dataSource starting "ITU estimate" (Python).
    expect(obs.filter((o) => o.flags === 'E').length).toBe(422);
    // Line 2750: West Bank and Gaza (ITU code WBG) 2014, "0".
    expect(obs.find((o) => o.line === 2750)).toMatchObject({ geo: 'PSE', period: '2014', value: '0' });
    expect(obs.some((o) => o.geo === 'WBG')).toBe(false);
  });

  it('passes non-numeric values, unknown codes and duplicates through', async () => {
    const csv =
      '"seriesID","seriesCode","seriesName","seriesParent","seriesUnits","entityID","entityIso","entityName","dataValue","dataYear","dataNote","dataSource","seriesDescription"\n' +
      '1,"i99","X","","%",1,"XXQ","Nowhere","n/a",2020,"","ITU estimate.",""\n' +
      '1,"i99","X","","%",1,"XXQ","Nowhere","n/a",2020,"","Regulator",""\n' +
      '1,"i99","X","","%",1,"KEN","Kenya","",2021,"","Regulator",""';
    const { obs, meta } = await readWith('itu-csv', tmp.file('rows.csv', csv));
    expect(meta.missing).toBe(1);
    expect(obs).toEqual([
      { line: 2, indicator: 'i99', geo: 'XXQ', period: '2020', value: 'n/a', flags: 'E', unit: '%' },
      { line: 3, indicator: 'i99', geo: 'XXQ', period: '2020', value: 'n/a', unit: '%' },
    ]);
  });

  it('sniffs the DataHub header', () => {
    const head = readFileSync(SUBS, 'utf8')
      .replace(/^\uFEFF/, '')
      .slice(0, 4000);
    expect(ituCsvReader.sniff(head, 'x.csv')).toBe(true);
    expect(ituCsvReader.sniff('indicator,geo,period,value\n', 'x.csv')).toBe(false);
  });
});

describe('itu-csv malformed files', () => {
  it('reports a wrong header', async () => {
    const p = tmp.file('h.csv', '"seriesCode","entityName","dataValue","dataYear"\n"i1","Kenya","1",2020\n');
    const err = await expectPontisError(
      readWith('itu-csv', p),
      'h.csv:1',
      'missing column entityIso',
      'found columns: "seriesCode"',
    );
    expect(err.location.field).toBe('entityIso');
  });

  it('reports truncated gzip, wrong encodings and an empty file', async () => {
    await expectPontisError(
      readWith('itu-csv', tmp.truncatedGzip('s.csv.gz', readFileSync(SUBS))),
      's.csv.gz',
      'gzip stream is truncated or corrupt',
    );
    const text = "seriesCode,entityIso,entityName,dataValue,dataYear\ni1,CIV,Côte d'Ivoire,1,2020\n";
    await expectPontisError(
      readWith('itu-csv', tmp.file('l1.csv', latin1(text))),
      'l1.csv',
      'not valid UTF-8',
    );
    await expectPontisError(readWith('itu-csv', tmp.file('u16.csv', utf16le(text))), 'u16.csv', 'UTF-16');
    await expectPontisError(readWith('itu-csv', tmp.file('e.csv', '\uFEFF')), 'e.csv', 'is empty');
  });
});
