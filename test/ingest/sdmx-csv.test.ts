import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sdmxCsvReader } from '../../src/ingest/sdmx-csv.ts';
import { expectPontisError, fixture, latin1, readWith, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());

describe('sdmx-csv on the real files', () => {
  it('BIS 1.0 (codes, LF): 640 empty OBS_VALUE rows are missing, not 0', async () => {
    const { obs, meta } = await readWith('sdmx-csv', fixture('bis_der_sdmx-csv-1.0.csv'));
    // Counted with Python's csv module: 1,000 rows, 640 with an empty OBS_VALUE (all OBS_STATUS M).
    expect(obs.length).toBe(360);
    expect(meta.missing).toBe(640);
    expect(meta.indicators).toEqual([{ code: 'WEBSTATS_DER_DATAFLOW' }]);
    // The first value is on line 4 (HKD/TO1, 2004); the last on line 999 (TO1/EUR, 2007).
    // No REF_AREA: the reporting-country dimension DER_REP_CTY (5J, all countries) is the geo.
    // OBS_STATUS A (normal) is no flag; the attributes between TIME_PERIOD and OBS_VALUE are not breakdowns.
    expect(obs[0]).toEqual({
      line: 4,
      indicator: 'WEBSTATS_DER_DATAFLOW',
      geo: '5J',
      period: '2004',
      value: '14206.490766',
      breakdown: {
        DER_TYPE: 'U',
        DER_INSTR: 'A',
        DER_RISK: 'B',
        DER_SECTOR_CPY: 'A',
        DER_CPC: '1E',
        DER_SECTOR_UDL: 'A',
        DER_CURR_LEG1: 'HKD',
        DER_CURR_LEG2: 'TO1',
        DER_ISSUE_MAT: 'A',
        DER_RATING: 'A',
        DER_EX_METHOD: '3',
        DER_BASIS: 'C',
      },
    });
    expect(obs.at(-1)).toMatchObject({ line: 999, period: '2007', value: '443666.734085' });
    expect(obs.some((o) => o.value === '0')).toBe(false);
  });

  it('Eurostat 2.0 with label columns: codes from the id columns, labels skipped', async () => {
    const { obs, meta } = await readWith('sdmx-csv', fixture('estat_ei_bpm6ca_q_sdmx-csv-2.0_labels.csv'));
    expect(obs.length).toBe(19);
    expect(meta.missing).toBe(0);
    expect(meta.indicators).toEqual([{ code: 'EI_BPM6CA_Q' }]); // ESTAT:EI_BPM6CA_Q$DEFAULTVIEW(1.0)
    // Line 2 (CRLF file): EA20, 2023-Q1, 23962.1, bop_item CA; the last line 20: 2025-Q1, 63670.1, CKA.
    expect(obs[0]).toEqual({
      line: 2,
      indicator: 'EI_BPM6CA_Q',
      geo: 'EA20',
      period: '2023-Q1',
      value: '23962.1',
      breakdown: {
        UNIT: 'MIO_EUR',
        S_ADJ: 'NSA',
        SECTOR10: 'S1',
        SECTPART: 'S1',
        PARTNER: 'EXT_EA20',
        STK_FLOW: 'BAL',
        BOP_ITEM: 'CA',
      },
      unit: 'MIO_EUR',
    });
    expect(obs.at(-1)).toMatchObject({
      line: 20,
      period: '2025-Q1',
      value: '63670.1',
      breakdown: { BOP_ITEM: 'CKA' },
    });
  });

  it('Eurostat 1.0 with labels and a LAST UPDATE column: labels passed on as written', async () => {
    const { obs } = await readWith('sdmx-csv', fixture('estat_ei_bpm6ca_q_sdmx-csv-1.0_labels.csv'));
    expect(obs.length).toBe(19);
    // The same observations as the 2.0 file, but the cells hold labels (the store rejects the geo).
    expect(obs[0]).toMatchObject({
      line: 2,
      geo: 'Euro area – 20 countries (from 2023)',
      period: '2023-Q1',
      value: '23962.1',
      unit: 'Million euro',
    });
    expect(obs[0]?.breakdown?.BOP_ITEM).toBe('Current account');
    expect(obs[0]?.breakdown && 'LAST UPDATE' in obs[0].breakdown).toBe(false);
  });
});

describe('sdmx-csv layouts', () => {
  it('2.0 with ACTION, dimension mapping, quoted line breaks, CRLF, NaN and M as missing', async () => {
    const csv = [
      'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,SERIES,REF_AREA,SEX,AGE,URBANISATION,INCOME_WEALTH_QUANTILE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE,UNIT_MULT,COMMENT_OBS',
      'dataflow,IAEG-SDGs:DF_SDG_GLH(1.16),I,A,IT_USE_II99,KEN,F,Y15T24,U,Q1,2019,17.3,E,PT,0,"a note',
      'over two lines"',
      'dataflow,IAEG-SDGs:DF_SDG_GLH(1.16),I,A,IT_USE_II99,KEN,M,Y15T24,U,Q1,2019,,M,PT,0,',
      'dataflow,IAEG-SDGs:DF_SDG_GLH(1.16),I,A,IT_USE_II99,KEN,M,Y15T24,R,Q1,2019,NaN,,PT,0,',
      'dataflow,IAEG-SDGs:DF_SDG_GLH(1.16),D,A,IT_USE_II99,KEN,M,Y15T24,R,Q1,2018,5,,PT,0,',
      'dataflow,IAEG-SDGs:DF_SDG_GLH(1.16),I,A,IT_USE_II99,XXQ,_T,_T,_T,_T,2019,abc,A,PT,3,',
    ].join('\r\n');
    const { obs, meta } = await readWith('sdmx-csv', tmp.file('sdg.csv', csv));
    expect(meta.missing).toBe(2);
    expect(obs).toEqual([
      {
        line: 2,
        indicator: 'IT_USE_II99',
        geo: 'KEN',
        period: '2019',
        value: '17.3',
        sex: 'F',
        age: 'Y15T24',
        area: 'U',
        quintile: 'Q1',
        flags: 'E',
        unit: 'PT',
      },
      // Line 7: the record on lines 2-3 spans two lines. Non-numeric value and unknown code pass through.
      {
        line: 7,
        indicator: 'IT_USE_II99',
        geo: 'XXQ',
        period: '2019',
        value: 'abc',
        sex: '_T',
        age: '_T',
        area: '_T',
        quintile: '_T',
        unit: 'PT',
      },
    ]);
  });

  it('1.0 labels=both ("ID: Name" headers, "CODE: Label" cells) keeps the codes', async () => {
    const csv = [
      'DATAFLOW: Dataflow,REF_AREA: Reference area,SEX: Sex,TIME_PERIOD: Time,OBS_VALUE: Value,OBS_STATUS: Status',
      'UNSD:DF_X(1.0): X data,KEN: Kenya,F: Female,2019,12,E: Estimated value',
    ].join('\n');
    const { obs } = await readWith('sdmx-csv', tmp.file('lb.csv', csv));
    expect(obs).toEqual([
      { line: 2, indicator: 'DF_X', geo: 'KEN', period: '2019', value: '12', sex: 'F', flags: 'E' },
    ]);
  });

  it('sniffs SDMX-CSV headers only', () => {
    const bis = readFileSync(fixture('bis_der_sdmx-csv-1.0.csv'), 'utf8').slice(0, 1000);
    expect(sdmxCsvReader.sniff(bis, 'x.csv')).toBe(true);
    expect(sdmxCsvReader.sniff('STRUCTURE;STRUCTURE_ID;REF_AREA\n', 'x.csv')).toBe(true);
    expect(sdmxCsvReader.sniff('indicator,geo,period,value\n', 'x.csv')).toBe(false);
  });
});

describe('sdmx-csv malformed files', () => {
  const bis = readFileSync(fixture('bis_der_sdmx-csv-1.0.csv'));

  it('reports a wrong header with the columns found', async () => {
    const p = tmp.file('nv.csv', 'DATAFLOW,REF_AREA,TIME_PERIOD,VALUE\nX:Y(1.0),KEN,2019,1\n');
    const err = await expectPontisError(
      readWith('sdmx-csv', p),
      'nv.csv:1',
      'no OBS_VALUE column',
      'found columns: "DATAFLOW"',
    );
    expect(err.location).toMatchObject({ line: 1, field: 'OBS_VALUE' });
    await expectPontisError(
      readWith('sdmx-csv', tmp.file('nt.csv', 'DATAFLOW,REF_AREA,OBS_VALUE\n')),
      'nt.csv:1',
      'no TIME_PERIOD column',
    );
    await expectPontisError(
      readWith('sdmx-csv', tmp.file('ns.csv', 'STRUCTURE,REF_AREA,TIME_PERIOD,OBS_VALUE\n')),
      'ns.csv:1',
      'must be STRUCTURE_ID',
    );
    await expectPontisError(
      readWith('sdmx-csv', tmp.file('nd.csv', 'geo,TIME_PERIOD,OBS_VALUE\n')),
      'nd.csv:1',
      'the first column must be DATAFLOW',
    );
    await expectPontisError(
      readWith('sdmx-csv', tmp.file('dd.csv', 'DATAFLOW,REF_AREA,ref_area,TIME_PERIOD,OBS_VALUE\n')),
      'dd.csv:1',
      'column REF_AREA appears twice',
    );
  });

  it('reports truncated gzip, wrong encodings, empty files and unclosed quotes', async () => {
    await expectPontisError(
      readWith('sdmx-csv', tmp.truncatedGzip('bis.csv.gz', bis)),
      'bis.csv.gz',
      'gzip stream is truncated or corrupt',
    );
    const text = 'DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT\nX:Y(1.0),CIV,2019,1,Côte\n';
    await expectPontisError(
      readWith('sdmx-csv', tmp.file('l1.csv', latin1(text))),
      'l1.csv',
      'not valid UTF-8',
    );
    await expectPontisError(readWith('sdmx-csv', tmp.file('u16.csv', utf16le(text))), 'u16.csv', 'UTF-16');
    await expectPontisError(readWith('sdmx-csv', tmp.file('e.csv', '')), 'e.csv', 'is empty');
    const q = 'DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nX:Y(1.0),KEN,2019,1\nX:Y(1.0),"KEN,2020,2\n';
    await expectPontisError(readWith('sdmx-csv', tmp.file('q.csv', q)), 'q.csv:3', 'never closed');
  });
});
