import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawObservation } from '../../src/core/observation.ts';
import { sdmxJsonReader } from '../../src/ingest/sdmx-json.ts';
import { openSource } from '../../src/ingest/source.ts';
import { counting, expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());

describe('sdmx-json on the SDMX TWG samples', () => {
  it('1.0 agri (flat, AllDimensions): 8 observations, values as published', async () => {
    const { obs, meta } = await readWith('sdmx-json', fixture('agri_sdmx-json-1.0.json'));
    expect(obs.length).toBe(8); // keys "0:0" … "1:3" in data.dataSets[0].observations
    expect(meta.missing).toBe(0);
    expect(meta.vintage).toBe('2018-03-11T14:30:47'); // meta.prepared
    expect(meta.source).toBe('NIS'); // meta.sender.id
    expect(meta.indicators).toEqual([{ code: 'MILLED_RICE', name: 'Milled rice' }]); // dataflow link urn
    // "0:0": [350.154, 0] = REF_AREA ASIKHM001, TIME_PERIOD 2014. UNIT_MULT 3 is not applied.
    // OBS_STATUS is absent from the array, so its default "A" (normal value) applies: no flag.
    expect(obs[0]).toEqual({
      line: 1,
      indicator: 'MILLED_RICE',
      geo: 'ASIKHM001',
      period: '2014',
      value: '350.154',
      unit: 'TONES',
    });
    // "1:3": [522.296, 3] = ASIKHM002, 2017.
    expect(obs.find((o) => o.geo === 'ASIKHM002' && o.period === '2017')?.value).toBe('522.296');
  });

  it('2.0 agri: 12 observations including the national series, inline attribute values', async () => {
    const { obs } = await readWith('sdmx-json', fixture('agri_sdmx-json-2.0.json'));
    expect(obs.length).toBe(12);
    // "2:3": [5541.424, null, "2021-03-18T11:00:00"] = ASIKHM (Cambodia), 2017.
    expect(obs.find((o) => o.geo === 'ASIKHM' && o.period === '2017')).toMatchObject({
      value: '5541.424',
      unit: 'TONES',
    });
    expect(obs.every((o) => o.flags === undefined && o.indicator === 'MILLED_RICE')).toBe(true);
  });

  it('2.0 exr (series-keyed): NZD and RUB, data-set dimensions as breakdown', async () => {
    const { obs, meta } = await readWith('sdmx-json', fixture('exr-time-series_sdmx-json-2.0.json'));
    expect(obs.length).toBe(4);
    expect(meta.source).toBe('IMF'); // sender.id, although sender.name says "European Central Bank"
    // Series "0" (CURRENCY NZD), observation "0" (2013-01-18) = [1.5931, 0].
    expect(obs[0]).toEqual({
      line: 1,
      indicator: 'EXR',
      geo: '', // exchange rates have no REF_AREA; the store rejects them
      period: '2013-01-18',
      value: '1.5931',
      breakdown: { CURRENCY: 'NZD', CURRENCY_DENOM: 'EUR', EXR_TYPE: 'SP00', EXR_SUFFIX: 'A' },
    });
    // Series "1" (RUB), observation "1" (2013-01-21) = [40.3, 0, 1].
    expect(obs.find((o) => o.breakdown?.CURRENCY === 'RUB' && o.period === '2013-01-21')?.value).toBe('40.3');
  });
});

describe('sdmx-json mapping', () => {
  const message = {
    meta: { id: 'T1', prepared: '2024-05-01T00:00:00Z', sender: { id: 'UNSD' } },
    data: {
      structures: [
        {
          name: 'SDG',
          dimensions: {
            dataSet: [{ id: 'FREQ', values: [{ id: 'A' }] }],
            series: [
              { id: 'SERIES', values: [{ id: 'IT_USE_II99', name: 'Internet users' }] },
              { id: 'REF_AREA', values: [{ id: 'KEN' }, { id: 'UGA' }] },
              { id: 'SEX', values: [{ id: 'F' }, { id: 'M' }] },
              { id: 'URBANISATION', values: [{ id: 'R' }] },
              { id: 'TYPE_OF_SPEED', values: [{ id: '10MBPS' }] },
            ],
            observation: [{ id: 'TIME_PERIOD', values: [{ id: '2019' }, { id: '2020' }] }],
          },
          attributes: {
            dataSet: [{ id: 'UNIT_MULT', values: [{ id: '3' }] }],
            series: [{ id: 'UNIT_MEASURE', values: [{ id: 'PT' }] }],
            observation: [
              { id: 'OBS_STATUS', values: [{ id: 'A' }, { id: 'E' }] },
              { id: 'COMMENT_OBS', values: [] },
            ],
          },
        },
      ],
      dataSets: [
        {
          structure: 0,
          attributes: [0],
          series: {
            '0:0:0:0:0': { attributes: [0], observations: { '0': [12.5, 1, 'inline note'], '1': [null, 0] } },
            '0:1:1:0:0': { attributes: [0], observations: { '0': ['abc', 0], '1': [7, null] } },
          },
        },
      ],
    },
  };

  it('maps dimensions, flags and unit; skips null values as missing', async () => {
    const { obs, meta } = await readWith('sdmx-json', tmp.file('m.json', JSON.stringify(message)));
    expect(meta.missing).toBe(1);
    expect(meta.indicators).toEqual([{ code: 'IT_USE_II99', name: 'Internet users' }]);
    expect(obs).toEqual([
      {
        line: 1,
        indicator: 'IT_USE_II99',
        geo: 'KEN',
        period: '2019',
        value: '12.5', // UNIT_MULT 3 is not applied
        sex: 'F',
        area: 'R',
        breakdown: { TYPE_OF_SPEED: '10MBPS' },
        flags: 'E',
        unit: 'PT',
      },
      // A non-numeric value is passed on as written.
      {
        line: 3,
        indicator: 'IT_USE_II99',
        geo: 'UGA',
        period: '2019',
        value: 'abc',
        sex: 'M',
        area: 'R',
        breakdown: { TYPE_OF_SPEED: '10MBPS' },
        unit: 'PT',
      },
      {
        line: 4,
        indicator: 'IT_USE_II99',
        geo: 'UGA',
        period: '2020',
        value: '7',
        sex: 'M',
        area: 'R',
        breakdown: { TYPE_OF_SPEED: '10MBPS' },
        unit: 'PT',
      },
    ]);
  });

  it('reads the pre-1.0 layout (header, dataSets and structure at the top, as .Stat used to send)', async () => {
    const doc = {
      header: { id: 'x', prepared: '2019-01-01T00:00:00', sender: { id: 'OECD' } },
      dataSets: [
        {
          action: 'Information',
          series: { '0': { attributes: [], observations: { '0': [1.5, null], '1': [2, 0] } } },
        },
      ],
      structure: {
        name: 'Broadband',
        dimensions: {
          series: [{ id: 'LOCATION', values: [{ id: 'KOR' }] }],
          observation: [{ id: 'TIME_PERIOD', values: [{ id: '2018' }, { id: '2019' }] }],
        },
        attributes: { observation: [{ id: 'OBS_STATUS', values: [{ id: 'P' }] }] },
      },
    };
    const { obs, meta } = await readWith('sdmx-json', tmp.file('old.json', JSON.stringify(doc)));
    expect(meta.source).toBe('OECD');
    // LOCATION (OECD) is the geo. No dataflow link and no INDICATOR/SERIES dimension: the indicator
    // stays empty for the store to reject. Attribute index 0 → OBS_STATUS P; null → not set.
    expect(obs).toEqual([
      { line: 1, indicator: '', geo: 'KOR', period: '2018', value: '1.5' },
      { line: 2, indicator: '', geo: 'KOR', period: '2019', value: '2', flags: 'P' },
    ]);
  });

  it('sniffs SDMX-JSON, not other JSON', () => {
    const head = readFileSync(fixture('agri_sdmx-json-1.0.json'), 'utf8');
    expect(sdmxJsonReader.sniff(head, 'a.json')).toBe(true);
    expect(sdmxJsonReader.sniff('[{"page":1}]', 'a.json')).toBe(false);
  });
});

describe('sdmx-json malformed files', () => {
  const real = readFileSync(fixture('agri_sdmx-json-1.0.json'));

  it('reports malformed JSON with its line', async () => {
    // Cut the real message at byte 3000, inside the observations.
    const err = await expectPontisError(
      readWith('sdmx-json', tmp.file('cut.json', real.subarray(0, 3000))),
      'cut.json',
      'malformed JSON',
    );
    expect(err.location.file).toContain('cut.json');
    const bad = tmp.file('bad.json', '{\n "data": {\n  "dataSets": [}\n}');
    await expectPontisError(readWith('sdmx-json', bad), 'bad.json:3', 'line 3');
  });

  it('reports messages without data sets or structure', async () => {
    await expectPontisError(
      readWith('sdmx-json', tmp.file('n.json', '{"data":{}}')),
      'n.json',
      'no "dataSets" array',
    );
    await expectPontisError(
      readWith('sdmx-json', tmp.file('s.json', '{"data":{"dataSets":[{}]}}')),
      's.json',
      'no "structure"',
    );
    const wrongIdx =
      '{"data":{"structures":[{"dimensions":{"observation":[{"id":"TIME_PERIOD","values":[]}]}}],"dataSets":[{"structure":4}]}}';
    await expectPontisError(
      readWith('sdmx-json', tmp.file('i.json', wrongIdx)),
      'i.json',
      'refers to structure 4',
    );
    await expectPontisError(
      readWith('sdmx-json', tmp.file('a.json', '[1,2]')),
      'a.json',
      'expected an SDMX-JSON message object',
    );
  });

  it('reports truncated gzip, wrong encodings and an empty file', async () => {
    await expectPontisError(
      readWith('sdmx-json', tmp.truncatedGzip('c.json.gz', real)),
      'c.json.gz',
      'gzip stream is truncated or corrupt',
    );
    const text = real.toString('utf8').replace('Milled rice description', 'Riz usiné');
    await expectPontisError(
      readWith('sdmx-json', tmp.file('l1.json', latin1(text))),
      'l1.json',
      'not valid UTF-8',
    );
    await expectPontisError(readWith('sdmx-json', tmp.file('u16.json', utf16le(text))), 'u16.json', 'UTF-16');
    await expectPontisError(readWith('sdmx-json', tmp.file('e.json', '')), 'e.json', 'is empty');
  });
});

/**
 * An SDMX-JSON 2.0 message with everything small after the big part: `data.dataSets` (one data set
 * whose `series` come before its `structure` and `attributes`), then `data.structures`, then `meta`.
 * Series "a:s" for REF_AREA a = 0..99 (C000…C099) and SEX s = 0..1 (F, M), one per line, in that
 * order; each has TIME_PERIOD t = 0..499 (1500 + t) with value a * 10000 + s * 1000 + t, null when
 * t % 97 === 13.
 */
function sdmxMessage(): string {
  const series: string[] = [];
  for (let a = 0; a < 100; a++) {
    for (let s = 0; s < 2; s++) {
      const obs: string[] = [];
      for (let t = 0; t < 500; t++) obs.push(`"${t}":[${t % 97 === 13 ? 'null' : a * 10000 + s * 1000 + t}]`);
      series.push(`"${a}:${s}":{"attributes":[0],"observations":{${obs.join(',')}}}`);
    }
  }
  const structure = {
    dimensions: {
      series: [
        {
          id: 'REF_AREA',
          values: Array.from({ length: 100 }, (_, a) => ({ id: `C${String(a).padStart(3, '0')}` })),
        },
        { id: 'SEX', values: [{ id: 'F' }, { id: 'M' }] },
      ],
      observation: [
        { id: 'TIME_PERIOD', values: Array.from({ length: 500 }, (_, t) => ({ id: String(1500 + t) })) },
      ],
    },
    attributes: { series: [{ id: 'UNIT_MEASURE', values: [{ id: 'PT' }] }] },
    links: [
      { rel: 'dataflow', urn: 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:GEN_FLOW(1.0)' },
    ],
  };
  return (
    `{"data": {"dataSets": [{"action": "Information", "series": {\n${series.join(',\n')}\n},\n` +
    `"structure": 0, "attributes": []}],\n"structures": [${JSON.stringify(structure)}]},\n` +
    `"meta": {"prepared": "2026-02-03T04:05:06Z", "sender": {"id": "GEN"}}}\n`
  );
}

describe('sdmx-json streams (two passes)', () => {
  const text = sdmxMessage();

  it('finds the structure after the data sets, then yields the first batch early in the second pass', async () => {
    const { src, pulled } = counting(await openSource(tmp.file('big.json', text)));
    const result = await sdmxJsonReader.read(src, { batchSize: 5000 });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    // Pass 1 has read the whole text; meta (after the data) is known.
    expect(pulled).toEqual([text.length]);
    expect(result.meta.vintage).toBe('2026-02-03T04:05:06Z');
    expect(result.meta.source).toBe('GEN');
    expect(result.meta.indicators).toEqual([{ code: 'GEN_FLOW' }]);
    const obs: RawObservation[] = [];
    let atFirst = -1;
    for await (const batch of result.batches) {
      if (atFirst < 0) atFirst = pulled[1] ?? 0;
      obs.push(...batch);
    }
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(text.length / 5);
    expect(pulled).toEqual([text.length, text.length]);
    // t % 97 === 13 for t = 13, 110, 207, 304, 401, 498: 6 per series, 200 series.
    expect(result.meta.missing).toBe(1200);
    expect(obs.length).toBe(100_000 - 1200);
    // Series "37:1", t = 250: ordinal (37 * 2 + 1) * 500 + 250 + 1 = 37,751; value 371250.
    expect(obs.find((o) => o.line === 37_751)).toEqual({
      line: 37_751,
      indicator: 'GEN_FLOW',
      geo: 'C037',
      period: '1750',
      value: '371250',
      sex: 'M',
      unit: 'PT',
    });
    // Series "0:0", t = 13 (ordinal 14) is null.
    expect(obs.find((o) => o.line === 14)).toBeUndefined();
  });

  it('reports malformed JSON anywhere before the first batch (pass 1 checks the whole text)', async () => {
    const cut = text.slice(0, Math.floor(text.length / 2));
    const lastLine = cut.split('\n').length;
    const src = await openSource(tmp.file('half.json', cut));
    // read() itself rejects: no batch is handed out.
    await expectPontisError(
      sdmxJsonReader.read(src),
      `half.json:${lastLine}: malformed JSON at line ${lastLine}`,
    );
    // A data set that is not an object is reported, the structure coming after it.
    await expectPontisError(
      readWith(
        'sdmx-json',
        tmp.file('ds.json', '{"data":{"dataSets":[7],"structures":[{"dimensions":{}}]}}'),
      ),
      'ds.json',
      'data set 0 is a number, not an object',
    );
  });
});
