/**
 * Row-level validation, end to end, for every format: a non-numeric value, an unknown country code
 * and a duplicate key with a different value are each rejected with file:line, field and reason;
 * the load writes nothing; with skipInvalid the valid rows (and only they) are loaded.
 * The files are hand-made in each official layout; the expected observations are the rows we wrote.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import type { FormatId } from '../../src/ingest/reader.ts';
import { ingestFile } from '../../src/store/ingest-files.ts';
import type { IngestReport } from '../../src/store/load.ts';
import { loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

interface Row {
  geo: string; // ISO3 (converted per format where the format wants M49)
  year: number;
  value: string | number;
}

interface Built {
  name: string;
  content: string | Buffer;
  /** The line (or record number) the format's reader reports for row i. */
  lineOf: (i: number) => number;
}

const M49: Record<string, string> = { KEN: '404', IND: '356', BRA: '076', XXX: '999' };

const builders: Record<FormatId, (rows: Row[]) => Built | Promise<Built>> = {
  'tidy-csv': (rows) => ({
    name: 'data.csv',
    content: `indicator,geo,period,value\n${rows.map((r) => `IT.NET.USER.ZS,${r.geo},${r.year},${r.value}`).join('\n')}\n`,
    lineOf: (i) => i + 2,
  }),
  'wdi-csv': (rows) => ({
    // Bulk WDICSV layout: one row per country and indicator, one column per year.
    name: 'WDICSV.csv',
    content: `Country Name,Country Code,Indicator Name,Indicator Code,2018,2019,2020,2021\n${rows
      .map((r) => {
        const cells = [2018, 2019, 2020, 2021].map((y) => (y === r.year ? String(r.value) : ''));
        return `Somewhere,${r.geo},Individuals using the Internet (% of population),IT.NET.USER.ZS,${cells.join(',')}`;
      })
      .join('\n')}\n`,
    lineOf: (i) => i + 2,
  }),
  'wb-api-json': (rows) => ({
    name: 'wb.json',
    content: JSON.stringify([
      { page: 1, pages: 1, per_page: 100, total: rows.length, lastupdated: '2024-01-01' },
      rows.map((r) => ({
        indicator: { id: 'IT.NET.USER.ZS', value: 'Individuals using the Internet (% of population)' },
        country: { id: 'XX', value: 'Somewhere' },
        countryiso3code: r.geo,
        date: String(r.year),
        value: r.value,
        unit: '',
        obs_status: '',
        decimal: 1,
      })),
    ]),
    lineOf: (i) => i + 1,
  }),
  'unsdg-json': (rows) => ({
    name: 'sdg.json',
    content: JSON.stringify({
      size: rows.length,
      totalElements: rows.length,
      totalPages: 1,
      pageNumber: 1,
      attributes: [],
      dimensions: [],
      data: rows.map((r) => ({
        goal: ['17'],
        target: ['17.8'],
        indicator: ['17.8.1'],
        series: 'IT_USE_ii99',
        seriesDescription: 'Internet users per 100 inhabitants',
        seriesCount: '1',
        geoAreaCode: M49[r.geo] ?? r.geo,
        geoAreaName: 'Somewhere',
        timePeriodStart: r.year,
        value: String(r.value),
        valueType: 'Float',
        time_detail: null,
        timeCoverage: null,
        upperBound: null,
        lowerBound: null,
        basePeriod: null,
        source: 'ITU',
        geoInfoUrl: null,
        footnotes: [],
        attributes: { Nature: 'C', Units: 'PER_100_POP' },
        dimensions: {},
      })),
    }),
    lineOf: (i) => i + 1,
  }),
  'sdmx-json': (rows) => {
    // SDMX-JSON 2.0, flat (AllDimensions); one data set per row so that a key can repeat.
    const geos = [...new Set(rows.map((r) => r.geo))];
    const years = [...new Set(rows.map((r) => String(r.year)))];
    return {
      name: 'sdmx.json',
      content: JSON.stringify({
        meta: {
          schema: 'https://json.sdmx.org/2.0.0/sdmx-json-data-schema.json',
          id: 'T',
          prepared: '2024-01-01T00:00:00Z',
          sender: { id: 'T' },
        },
        data: {
          structures: [
            {
              structure: 'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=T:DSD(1.0)',
              dimensions: {
                dataSet: [],
                series: [],
                observation: [
                  { id: 'REF_AREA', keyPosition: 0, values: geos.map((id) => ({ id })) },
                  { id: 'INDICATOR', keyPosition: 1, values: [{ id: 'IT_USE_ii99' }] },
                  { id: 'TIME_PERIOD', keyPosition: 2, values: years.map((id) => ({ id })) },
                ],
              },
              attributes: { dataSet: [], series: [], observation: [] },
              measures: { observation: [{ id: 'OBS_VALUE' }] },
            },
          ],
          dataSets: rows.map((r) => ({
            structure: 0,
            action: 'Information',
            observations: { [`${geos.indexOf(r.geo)}:0:${years.indexOf(String(r.year))}`]: [r.value] },
          })),
        },
      }),
      lineOf: (i) => i + 1,
    };
  },
  'sdmx-csv': (rows) => ({
    name: 'sdmx.csv',
    content: `DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE\n${rows
      .map((r) => `T:DF(1.0),${r.geo},IT_USE_ii99,${r.year},${r.value}`)
      .join('\n')}\n`,
    lineOf: (i) => i + 2,
  }),
  'itu-csv': (rows) => ({
    name: 'itu.csv',
    content: `seriesID,seriesCode,seriesName,seriesParent,seriesUnits,entityID,entityIso,entityName,dataValue,dataYear,dataNote,dataSource,seriesDescription\n${rows
      .map(
        (r, i) =>
          `${1000 + i},i99H,"Individuals using the Internet",,"%",${i},"${r.geo}","Somewhere","${r.value}",${r.year},"","NSO",""`,
      )
      .join('\n')}`,
    lineOf: (i) => i + 2,
  }),
  xlsx: async (rows) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(['indicator', 'geo', 'period', 'value']);
    for (const r of rows) ws.addRow(['IT.NET.USER.ZS', r.geo, r.year, r.value]);
    return { name: 'data.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()), lineOf: (i) => i + 2 };
  },
};

const cases: { name: string; rows: Row[]; bad: number[]; field: string; reason: RegExp }[] = [
  {
    name: 'non-numeric value',
    rows: [
      { geo: 'KEN', year: 2019, value: 22.5 },
      { geo: 'IND', year: 2019, value: 'abc' },
      { geo: 'BRA', year: 2019, value: 73.9 },
    ],
    bad: [1],
    field: 'value',
    reason: /non-numeric value 'abc'/,
  },
  {
    name: 'unknown country code',
    rows: [
      { geo: 'KEN', year: 2019, value: 22.5 },
      { geo: 'XXX', year: 2019, value: 10 },
      { geo: 'BRA', year: 2019, value: 73.9 },
    ],
    bad: [1],
    field: 'geo',
    reason: /unknown country code '(XXX|999)'/,
  },
  {
    name: 'duplicate key with a different value',
    rows: [
      { geo: 'KEN', year: 2019, value: 22.5 },
      { geo: 'BRA', year: 2019, value: 73.9 },
      { geo: 'KEN', year: 2019, value: 23.5 },
    ],
    bad: [0, 2],
    field: 'value',
    reason: /duplicate key \((IT.NET.USER.ZS|IT_USE_ii99|i99H), KEN, 2019\) with a different value/,
  },
];

let store: Store;
const tmp = tmpDir();

beforeAll(async () => {
  store = await openStore({ path: ':memory:' });
  await loadReference(store);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const count = async () =>
  Number(await store.db.value<number>('SELECT count(*) FROM observations')) +
  Number(await store.db.value<number>('SELECT count(*) FROM datasets')) * 1e6;

describe.each(Object.keys(builders) as FormatId[])('%s', (format) => {
  it.each(cases)('$name: rejected with line, field and reason; nothing written', async (c) => {
    const built = await builders[format](c.rows);
    const path = join(tmp.dir, `${format}-${c.name.replaceAll(' ', '-')}-${built.name}`);
    writeFileSync(path, built.content);
    const before = await count();
    let err: unknown;
    try {
      await ingestFile(store, path, { format });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PontisError);
    const report = (err as PontisError).details as IngestReport;
    expect(report.status).toBe('rejected');
    expect(report.rejected).toBe(c.bad.length);
    expect(report.issues.map((i) => i.line)).toEqual(c.bad.map(built.lineOf));
    for (const issue of report.issues) {
      expect(issue.file).toBe(path);
      expect(issue.field).toBe(c.field);
      expect(issue.reason).toMatch(c.reason);
    }
    expect(await count()).toBe(before);
  });

  it.each(cases)('$name: --skip-invalid loads exactly the valid rows', async (c) => {
    const built = await builders[format](c.rows);
    const path = join(tmp.dir, `${format}-skip-${c.name.replaceAll(' ', '-')}-${built.name}`);
    writeFileSync(path, built.content);
    const r = await ingestFile(store, path, { format, skipInvalid: true });
    expect(r.status).toBe('loaded');
    expect(r.rejected).toBe(c.bad.length);
    const stored = await store.db.all<{ geo: string; period: string; value: number }>(
      'SELECT geo, period, value FROM observations WHERE dataset = ? ORDER BY geo',
      [r.dataset],
    );
    const expected = c.rows
      .filter((_, i) => !c.bad.includes(i))
      .map((row) => ({ geo: row.geo, period: String(row.year), value: Number(row.value) }))
      .sort((a, b) => a.geo.localeCompare(b.geo));
    expect(stored).toEqual(expected);
    // Clean up so the next case starts from the same store.
    await store.db.exec('DELETE FROM obs_rows WHERE dataset = ?', [r.dataset]);
    await store.db.exec('DELETE FROM obs_plain WHERE dataset = ?', [r.dataset]);
    await store.db.exec('DELETE FROM datasets WHERE id = ?', [r.dataset]);
  });
});
