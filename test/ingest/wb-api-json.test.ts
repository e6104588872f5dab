import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawObservation } from '../../src/core/observation.ts';
import { readerFor } from '../../src/ingest/detect.ts';
import { openSource } from '../../src/ingest/source.ts';
import {
  counting,
  expectPontisError,
  fixture,
  heapAfterGc,
  latin1,
  readWith,
  TmpDir,
  utf16le,
} from './helpers.ts';

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

/**
 * A World Bank API response of `n` rows, one per line: line 1 is the paging object, line 2 "[",
 * row i (0-based) on line i + 3. Row i: country C{i % 250} (ISO3 "C" + 2 letters), year
 * 1960 + i % 60, value i / 4, null when i % 7 === 3.
 */
function wbResponse(n: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 250;
    const iso3 = `C${letters[Math.floor(c / 26) % 26]}${letters[c % 26]}`;
    rows.push(
      JSON.stringify({
        indicator: { id: 'IT.NET.USER.ZS', value: 'Individuals using the Internet (% of population)' },
        country: { id: iso3.slice(1), value: `Country ${c}` },
        countryiso3code: iso3,
        date: String(1960 + (i % 60)),
        value: i % 7 === 3 ? null : i / 4,
        unit: '',
        obs_status: '',
        decimal: 1,
      }),
    );
  }
  const paging = {
    page: 1,
    pages: 1,
    per_page: n,
    total: n,
    sourcename: 'Generated',
    lastupdated: '2026-01-01',
  };
  return `[${JSON.stringify(paging)},\n[\n${rows.join(',\n')}\n]]\n`;
}

describe('wb-api-json streams', () => {
  const N = 100_000;
  const text = wbResponse(N);
  const gz = tmp.file('big.json.gz', gzipSync(text));

  it('yields the first batch after reading a small part of a 100,000-row gzipped response', async () => {
    const { src, pulled } = counting(await openSource(gz));
    const result = await readerFor('wb-api-json').read(src, { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    expect(result.meta.vintage).toBe('2026-01-01'); // known when read() returns
    const obs: RawObservation[] = [];
    let atFirst = -1;
    for await (const batch of result.batches) {
      if (atFirst < 0) atFirst = pulled[0] ?? 0;
      obs.push(...batch);
    }
    // 5,000 observations are about 5,800 rows of ~290 characters: under 1/10 of the text.
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(text.length / 10);
    expect(pulled).toEqual([text.length]); // one pass over the text
    // i % 7 === 3 for i = 3, 10, …, 99,997: (99,997 - 3) / 7 + 1 = 14,286 nulls.
    expect(result.meta.missing).toBe(14_286);
    expect(obs.length).toBe(N - 14_286);
    // Row 0: CAA 1960 0; row 61,234 (line 61,235 of the array): 61234 % 250 = 234 = 9 * 26 + 0 → "CJA",
    // 1960 + 61234 % 60 = 1960 + 34 = 1994, value 61234 / 4 = 15308.5.
    expect(obs[0]).toEqual({ line: 1, indicator: 'IT.NET.USER.ZS', geo: 'CAA', period: '1960', value: '0' });
    expect(obs.find((o) => o.line === 61_235)).toEqual({
      line: 61_235,
      indicator: 'IT.NET.USER.ZS',
      geo: 'CJA',
      period: '1994',
      value: '15308.5',
    });
    // Row 10 (line 11) is null: 10 % 7 === 3.
    expect(obs.find((o) => o.line === 11)).toBeUndefined();
  });

  it('keeps memory bounded: the heap after the last batch is about what it was after the second', async () => {
    // Rows or chunks kept alive while streaming would add up: the text is ~29 MB, its rows far more.
    const result = await readerFor('wb-api-json').read(await openSource(gz), { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const heap: number[] = [];
    let k = 0;
    for await (const _ of result.batches) {
      if (++k === 2) heap.push(heapAfterGc());
    }
    heap.push(heapAfterGc());
    expect((heap[1] as number) - (heap[0] as number)).toBeLessThan(20 * 2 ** 20);
  });

  it('reports malformed JSON in the middle of the rows with its line, after the first batches', async () => {
    // Row 50,000 is on line 50,003; its `"value":` loses the colon.
    const lines = text.split('\n');
    lines[50_002] = (lines[50_002] as string).replace('"value":', '"value" ');
    const p = tmp.file('mid.json', lines.join('\n'));
    const src = await openSource(p);
    const result = await readerFor('wb-api-json').read(src, { batchSize: 1000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    let seen = 0;
    const err = await expectPontisError(
      (async () => {
        for await (const b of result.batches) seen += b.length;
      })(),
      'mid.json:50003: malformed JSON at line 50003',
      'expected ":" after a property name',
    );
    expect(err.location).toEqual({ file: p, line: 50_003 });
    expect(seen).toBeGreaterThan(30_000); // rows before it were handed out already
    // Cut in the middle of the rows: the end of the text is reported, on its last line.
    const cut = text.slice(0, Math.floor(text.length / 2));
    const lastLine = cut.split('\n').length;
    await expectPontisError(
      readWith('wb-api-json', tmp.file('half.json', cut)),
      `half.json:${lastLine}: malformed JSON at line ${lastLine}`,
      'unexpected end of JSON input',
    );
  });

  it('reports a response without its paging object or with rows that are not an array', async () => {
    await expectPontisError(
      readWith('wb-api-json', tmp.file('empty.json', '[]')),
      'empty.json',
      'got nothing',
    );
    await expectPontisError(
      readWith('wb-api-json', tmp.file('str.json', '"[paging, rows]"')),
      'str.json',
      'expected a JSON array [paging, rows] (World Bank API v2), got a string',
    );
    await expectPontisError(
      readWith('wb-api-json', tmp.file('num.json', '[{"page":1}, 7]')),
      'num.json',
      'the second element should be the array of rows, got a number',
    );
    // No rows element at all: an empty result, as [paging, null].
    const { obs } = await readWith('wb-api-json', tmp.file('norows.json', '[{"page":1}]'));
    expect(obs).toEqual([]);
  });
});
