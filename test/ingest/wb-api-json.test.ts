import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());
const POP = fixture('SP.POP.TOTL.json.gz'); // gzip of format-samples/worldbank-api-json/SP.POP.TOTL.json

describe('wb-api-json on the real SP.POP.TOTL response (gzipped)', () => {
  it('reads every row with a value and counts the null ones', async () => {
    const { obs, meta, batches } = await readWith('wb-api-json', POP);
    // Counted with Python's json module: 15,312 rows, 427 with value null.
    expect(obs.length).toBe(15312 - 427);
    expect(meta.missing).toBe(427);
    expect(batches).toEqual([10000, 4885]);
    expect(meta.vintage).toBe('2018-04-24');
    expect(meta.indicators).toEqual([{ code: 'SP.POP.TOTL', name: 'Population, total' }]);
  });

  it('keys aggregates on country.id, countries on countryiso3code; line = index in the rows array', async () => {
    const { obs } = await readWith('wb-api-json', POP);
    // Rows 1-2 of the array: Arab World ("1A", countryiso3code "") 2017 null, 2016 406452690.
    expect(obs[0]).toEqual({
      line: 2,
      indicator: 'SP.POP.TOTL',
      geo: '1A',
      period: '2016',
      value: '406452690',
    });
    // Row 7888: India 1960 = 449480608; row 8527: Kenya 2017 is null (skipped).
    expect(obs.find((o) => o.line === 7888)).toMatchObject({
      geo: 'IND',
      period: '1960',
      value: '449480608',
    });
    expect(obs.find((o) => o.line === 8527)).toBeUndefined();
    // Row 410: XC (Euro area) 2014 is a JSON float 338429647.5.
    expect(obs.find((o) => o.line === 410)).toMatchObject({
      geo: 'XC',
      period: '2014',
      value: '338429647.5',
    });
    // 2,726 aggregate rows have an empty countryiso3code; 2,622 of them have a value (Python).
    const iso3 = /^[A-Z]{3}$/;
    expect(obs.filter((o) => !iso3.test(o.geo)).length).toBe(2622);
  });

  it('maps quarterly and monthly dates, obs_status and unit; passes odd values through', async () => {
    const doc = [
      {
        page: 1,
        pages: 1,
        per_page: 50,
        total: 4,
        sourceid: '2',
        sourcename: 'World Development Indicators',
        lastupdated: '2025-12-16',
      },
      [
        {
          indicator: { id: 'X', value: 'Ex' },
          country: { id: 'KE', value: 'Kenya' },
          countryiso3code: 'KEN',
          date: '2019Q2',
          value: 1.5,
          unit: '%',
          obs_status: 'E',
          decimal: 1,
        },
        {
          indicator: { id: 'X', value: 'Ex' },
          country: { id: 'KE', value: 'Kenya' },
          countryiso3code: 'KEN',
          date: '2019M03',
          value: '2',
          unit: '',
          obs_status: '',
          decimal: 1,
        },
        {
          indicator: { id: 'X', value: 'Ex' },
          country: { id: 'QQ', value: 'Nowhere' },
          countryiso3code: 'QQQ',
          date: '2019',
          value: 'abc',
          unit: '',
          obs_status: '',
          decimal: 1,
        },
        {
          indicator: { id: 'X', value: 'Ex' },
          country: { id: 'QQ', value: 'Nowhere' },
          countryiso3code: 'QQQ',
          date: '2019',
          value: 'abc',
          unit: '',
          obs_status: '',
          decimal: 1,
        },
      ],
    ];
    const { obs, meta } = await readWith('wb-api-json', tmp.file('q.json', JSON.stringify(doc)));
    expect(meta.source).toBe('World Bank: World Development Indicators');
    expect(obs).toEqual([
      { line: 1, indicator: 'X', geo: 'KEN', period: '2019-Q2', value: '1.5', flags: 'E', unit: '%' },
      { line: 2, indicator: 'X', geo: 'KEN', period: '2019-03', value: '2' },
      // Non-numeric value, unknown code, duplicate key: passed on for the store to reject.
      { line: 3, indicator: 'X', geo: 'QQQ', period: '2019', value: 'abc' },
      { line: 4, indicator: 'X', geo: 'QQQ', period: '2019', value: 'abc' },
    ]);
  });

  it('reads an empty result ([paging, null])', async () => {
    const { obs } = await readWith(
      'wb-api-json',
      tmp.file('none.json', '[{"page":0,"pages":0,"per_page":50,"total":0},null]'),
    );
    expect(obs).toEqual([]);
  });
});

describe('wb-api-json malformed files', () => {
  const real = gunzipSync(readFileSync(POP));

  it('reports malformed JSON with line and column', async () => {
    const p = tmp.file('bad.json', '[{"page":1},\n [{"date": "2019", "value": 1,}]]');
    const err = await expectPontisError(readWith('wb-api-json', p), 'bad.json:2', 'malformed JSON at line 2');
    expect(err.location.line).toBe(2);
  });

  it('reports the real file cut short', async () => {
    const p = tmp.file('cut.json', real.subarray(0, 100_000));
    await expectPontisError(readWith('wb-api-json', p), 'cut.json', 'malformed JSON');
  });

  it('reports a World Bank API error response and a wrong shape', async () => {
    const apiErr =
      '[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]';
    await expectPontisError(
      readWith('wb-api-json', tmp.file('err.json', apiErr)),
      'err.json',
      'API error response',
      'Invalid value',
    );
    await expectPontisError(
      readWith('wb-api-json', tmp.file('obj.json', '{"a":1}')),
      'obj.json',
      'expected a JSON array [paging, rows]',
    );
    await expectPontisError(
      readWith('wb-api-json', tmp.file('rows.json', '[{"page":1},{"a":1}]')),
      'rows.json',
      'array of rows',
    );
  });

  it('reports truncated gzip, wrong encodings and an empty file', async () => {
    await expectPontisError(
      readWith('wb-api-json', tmp.truncatedGzip('c.json.gz', real)),
      'c.json.gz',
      'gzip stream is truncated or corrupt',
    );
    const withName =
      '[{"page":1},[{"country":{"id":"CI","value":"Côte d\'Ivoire"},"date":"2019","value":1}]]';
    await expectPontisError(
      readWith('wb-api-json', tmp.file('l1.json', latin1(withName))),
      'l1.json',
      'not valid UTF-8',
    );
    await expectPontisError(
      readWith('wb-api-json', tmp.file('u16.json', utf16le(withName))),
      'u16.json',
      'UTF-16',
    );
    await expectPontisError(readWith('wb-api-json', tmp.file('e.json', '  \n')), 'e.json', 'is empty');
  });
});
