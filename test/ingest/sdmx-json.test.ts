import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sdmxJsonReader } from '../../src/ingest/sdmx-json.ts';
import { expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

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
