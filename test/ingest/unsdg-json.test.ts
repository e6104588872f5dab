import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawObservation } from '../../src/core/observation.ts';
import { openSource } from '../../src/ingest/source.ts';
import { sdgAge, unsdgJsonReader } from '../../src/ingest/unsdg-json.ts';
import { counting, expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());
const HANDMADE = fixture('unsdg_series-data_handmade.json'); // see test/fixtures/formats/README.md

describe('unsdg-json on a hand-made /v1/sdg/Series/Data response', () => {
  it('reads the 7 records with a value and counts the null one', async () => {
    const { obs, meta } = await readWith('unsdg-json', HANDMADE);
    expect(obs.length).toBe(7);
    expect(meta.missing).toBe(1);
    expect(meta.indicators).toEqual([
      {
        code: 'IT_MOB_OWN',
        name: 'Proportion of individuals who own a mobile telephone, by sex (%)',
        unit: 'PERCENT',
      },
      {
        code: 'IT_NET_BBP',
        name: 'Fixed Internet broadband subscriptions per 100 inhabitants, by speed (per 100 inhabitants)',
        unit: 'PER_100_POP',
      },
    ]);
  });

  it('maps Sex, Nature, Units, other dimensions; pads M49 codes; timePeriodStart 2015.0 → "2015"', async () => {
    const { obs } = await readWith('unsdg-json', HANDMADE);
    // Record 2: Kenya (404) 2015, FEMALE, "43.71383", Nature C.
    expect(obs[1]).toEqual({
      line: 2,
      indicator: 'IT_MOB_OWN',
      geo: '404',
      period: '2015',
      value: '43.71383',
      sex: 'FEMALE',
      flags: 'C',
      unit: 'PERCENT',
      breakdown: { REPORTING_TYPE: 'G' },
    });
    // Record 4: Afghanistan, geoAreaCode "4" → "004", Nature E.
    expect(obs[3]).toMatchObject({ line: 4, geo: '004', period: '2016', value: '46.82207', flags: 'E' });
    // Record 5: "Type of speed" 10MBPS, value "0" (a real zero).
    expect(obs[4]).toMatchObject({
      line: 5,
      value: '0',
      breakdown: { TYPE_OF_SPEED: '10MBPS', REPORTING_TYPE: 'G' },
    });
  });

  it('maps Location, Age and Quantile; drops NA; passes odd values through', async () => {
    const record = (over: Record<string, unknown>) => ({
      series: 'SE_X',
      seriesDescription: 'X',
      geoAreaCode: '404',
      geoAreaName: 'Kenya',
      timePeriodStart: 2019,
      value: '1',
      attributes: { Nature: 'C', Units: 'PERCENT' },
      dimensions: {},
      ...over,
    });
    const doc = {
      size: 5,
      totalElements: 5,
      totalPages: 1,
      pageNumber: 1,
      data: [
        record({ dimensions: { Location: 'URBAN', Age: '15-24', Quantile: 'Q1', 'Education level': 'NA' } }),
        record({ dimensions: { Location: 'ALLAREA', Age: '15+' } }),
        record({ dimensions: { Age: '<5' }, value: 'NaN' }),
        record({ dimensions: { Age: 'ALLAGE' }, geoAreaCode: '999', value: '>95', timePeriodStart: 2019.5 }),
        record({ dimensions: { Age: 'ALLAGE' }, geoAreaCode: '999', value: '>95', timePeriodStart: 2019.5 }),
      ],
    };
    const { obs, meta } = await readWith('unsdg-json', tmp.file('d.json', JSON.stringify(doc)));
    expect(meta.missing).toBe(1);
    const base = { indicator: 'SE_X', geo: '404', period: '2019', value: '1', flags: 'C', unit: 'PERCENT' };
    expect(obs).toEqual([
      { ...base, line: 1, area: 'URBAN', age: 'Y15T24', quintile: 'Q1' },
      { ...base, line: 2, area: 'ALLAREA', age: 'Y_GE15' },
      // Unknown area code, non-numeric value, duplicate: passed on for the store to reject.
      { ...base, line: 4, geo: '999', period: '2019.5', value: '>95', age: '_T' },
      { ...base, line: 5, geo: '999', period: '2019.5', value: '>95', age: '_T' },
    ]);
  });

  it('converts SDG API age labels to SDMX AGE codes', () => {
    expect(['ALLAGE', '15-24', '15+', '<5', '15 - 24', 'UNKNOWN'].map(sdgAge)).toEqual([
      '_T',
      'Y15T24',
      'Y_GE15',
      'Y_LT5',
      'Y15T24',
      'UNKNOWN',
    ]);
  });

  it('sniffs the API response', () => {
    expect(unsdgJsonReader.sniff(readFileSync(HANDMADE, 'utf8'), 'x.json')).toBe(true);
    expect(unsdgJsonReader.sniff('{"data": {"dataSets": []}}', 'x.json')).toBe(false);
  });
});

describe('unsdg-json malformed files', () => {
  const real = readFileSync(HANDMADE);
  it('reports malformed JSON, a wrong shape, truncated gzip, wrong encodings, empty files', async () => {
    await expectPontisError(
      readWith('unsdg-json', tmp.file('cut.json', real.subarray(0, 900))),
      'cut.json',
      'malformed JSON at line',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('shape.json', '{"data": 5}')),
      'shape.json',
      '"data" is a number',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.truncatedGzip('g.json.gz', real)),
      'g.json.gz',
      'gzip stream is truncated or corrupt',
    );
    const text = real.toString('utf8').replace('Kenya', 'Côte');
    await expectPontisError(
      readWith('unsdg-json', tmp.file('l1.json', latin1(text))),
      'l1.json',
      'not valid UTF-8',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('u16.json', utf16le(text))),
      'u16.json',
      'UTF-16',
    );
    await expectPontisError(readWith('unsdg-json', tmp.file('e.json', '')), 'e.json', 'is empty');
  });
});

/**
 * A /v1/sdg/Series/Data response of `n` records, one per line, with the page metadata after the
 * data (as keys may come in any order). Record i (0-based) is on line i + 3: geoAreaCode
 * String(i % 900 + 1) (unpadded), year 2000 + i % 20, Sex FEMALE for even i and MALE for odd i,
 * value String(i % 1000 / 10), "NaN" when i % 11 === 5.
 */
function sdgResponse(n: number): string {
  const recs: string[] = [];
  for (let i = 0; i < n; i++) {
    recs.push(
      JSON.stringify({
        goal: ['9'],
        series: 'IT_MOB_OWN',
        seriesDescription: 'Proportion of individuals who own a mobile telephone, by sex (%)',
        geoAreaCode: String((i % 900) + 1),
        geoAreaName: `Area ${(i % 900) + 1}`,
        timePeriodStart: 2000 + (i % 20),
        value: i % 11 === 5 ? 'NaN' : String((i % 1000) / 10),
        attributes: { Nature: 'C', Units: 'PERCENT' },
        dimensions: { Sex: i % 2 === 0 ? 'FEMALE' : 'MALE', 'Reporting Type': 'G' },
      }),
    );
  }
  return `{"attributes": [], "dimensions": [],\n"data": [\n${recs.join(',\n')}\n],\n"size": ${n}, "totalElements": ${n}, "totalPages": 1, "pageNumber": 1}\n`;
}

describe('unsdg-json streams', () => {
  const N = 100_000;
  const text = sdgResponse(N);

  it('yields the first batch after reading a small part of a 100,000-record response', async () => {
    const { src, pulled } = counting(await openSource(tmp.file('big.json', text)));
    const result = await unsdgJsonReader.read(src, { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const obs: RawObservation[] = [];
    let atFirst = -1;
    for await (const batch of result.batches) {
      if (atFirst < 0) atFirst = pulled[0] ?? 0;
      obs.push(...batch);
    }
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(text.length / 10);
    expect(pulled).toEqual([text.length]);
    // i % 11 === 5 for i = 5, 16, …, 99,995: (99,995 - 5) / 11 + 1 = 9,091 "NaN".
    expect(result.meta.missing).toBe(9091);
    expect(obs.length).toBe(N - 9091);
    // Record 3 (line 4): area "4" → "004", 2003, MALE, value 0.3.
    expect(obs.find((o) => o.line === 4)).toEqual({
      line: 4,
      indicator: 'IT_MOB_OWN',
      geo: '004',
      period: '2003',
      value: '0.3',
      sex: 'MALE',
      flags: 'C',
      unit: 'PERCENT',
      breakdown: { REPORTING_TYPE: 'G' },
    });
    // Record 87,654 (line 87,655): 87654 % 900 + 1 = 355, 2000 + 87654 % 20 = 2014, even → FEMALE,
    // 87654 % 1000 / 10 = 65.4.
    expect(obs.find((o) => o.line === 87_655)).toMatchObject({
      geo: '355',
      period: '2014',
      sex: 'FEMALE',
      value: '65.4',
    });
  });

  it('reports truncation in the middle of data with its line; data missing, twice or an object', async () => {
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const lastLine = cut.split('\n').length;
    await expectPontisError(
      readWith('unsdg-json', tmp.file('cut60.json', cut)),
      `cut60.json:${lastLine}: malformed JSON at line ${lastLine}`,
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('nodata.json', '{"size": 0, "totalElements": 0, "items": []}')),
      'nodata.json',
      'expected a UN SDG API response {…, "data": [records]}, but "data" is missing',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('twice.json', '{"data": [], "size": 0, "data": []}')),
      'twice.json',
      '"data" appears twice',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('obj.json', '{"data": {"series": "X"}}')),
      'obj.json',
      '"data" is an object',
    );
    await expectPontisError(
      readWith('unsdg-json', tmp.file('top.json', 'true')),
      'top.json',
      'the top level is a boolean',
    );
  });

  it('reads a top-level array of records (line = index in it)', async () => {
    const rec = { series: 'SE_X', geoAreaCode: '404', timePeriodStart: 2019.0, value: '1.5' };
    const { obs } = await readWith(
      'unsdg-json',
      tmp.file('arr.json', JSON.stringify([rec, { ...rec, value: null }, rec])),
    );
    expect(obs).toEqual([
      { line: 1, indicator: 'SE_X', geo: '404', period: '2019', value: '1.5' },
      { line: 3, indicator: 'SE_X', geo: '404', period: '2019', value: '1.5' },
    ]);
  });
});
