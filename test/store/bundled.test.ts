/**
 * The default load: the bundled data (data/manifest.json) into a fresh store, checked against the
 * ORIGINAL source files in ../shared/data (read independently here), plus membership over time,
 * idempotent reload, and export/rebuild.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSeries, exportStore, rebuildStore } from '../../src/store/export.ts';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { groupMembers, listDatasets, querySeries } from '../../src/store/queries.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { SHARED, tmpDir } from '../helpers.ts';

type Rec = Record<string, string>;
const readCsv = (rel: string): Rec[] => {
  const buf = readFileSync(join(SHARED, rel));
  const text = rel.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Rec[];
};
const find = (rows: Rec[], pred: (r: Rec) => boolean): Rec => {
  const hit = rows.filter(pred);
  if (hit.length !== 1) throw new Error(`expected exactly one source row, found ${hit.length}`);
  return hit[0]!;
};

const tmp = tmpDir();
let store: Store;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'p.duckdb') });
  await loadBundled(store);
}, 120_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

async function one(indicator: string, geo: string, year: number, dims: Record<string, string> = {}) {
  const rows = await querySeries(store, { indicator, geo: [geo], from: year, to: year, dims });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('ten spot values equal the source files', () => {
  const wdi = () => readCsv('gapminder-systema-globalis/wdi_ict_country_year.csv.gz');
  let wdiRows: Rec[];
  beforeAll(() => {
    wdiRows = wdi();
  });
  const wdiValue = (code: string, iso3: string, year: number) =>
    Number(
      find(wdiRows, (r) => r.indicator_code === code && r.iso3 === iso3 && r.year === String(year)).value,
    );

  it('1. Internet users, Kenya 2019 (WDI via Gapminder)', async () => {
    expect((await one('IT.NET.USER.ZS', 'KEN', 2019)).value).toBe(wdiValue('IT.NET.USER.ZS', 'KEN', 2019));
  });
  it('2. mobile cellular subscriptions, India 2015', async () => {
    expect((await one('IT.CEL.SETS', 'IND', 2015)).value).toBe(wdiValue('IT.CEL.SETS', 'IND', 2015));
  });
  it('3. GNI per capita (Atlas), Brazil 2020', async () => {
    expect((await one('NY.GNP.PCAP.CD', 'BRA', 2020)).value).toBe(wdiValue('NY.GNP.PCAP.CD', 'BRA', 2020));
  });
  it('4. rural population is SP.POP.TOTL with area R (SP.RUR.TOTL), Nigeria 2010', async () => {
    const v = wdiValue('SP.RUR.TOTL', 'NGA', 2010);
    expect((await one('SP.RUR.TOTL', 'NGA', 2010)).value).toBe(v);
    expect((await one('SP.POP.TOTL', 'NGA', 2010, { area: 'R' })).value).toBe(v);
  });
  it('5. female population (UN WPP), Bangladesh 2019', async () => {
    const src = find(
      readCsv('gapminder-systema-globalis/population_by_sex_wpp.csv.gz'),
      (r) => r.iso3 === 'BGD' && r.year === '2019' && r.sex === 'female',
    );
    expect((await one('WPP.POP', 'BGD', 2019, { sex: 'F' })).value).toBe(Number(src.population));
  });
  const onw = () => readCsv('open-numbers-wdi/wdi_innovation_and_internet_by_sex.csv');
  it('6. Internet use by women (IT.NET.USER.FE.ZS = IT.NET.USER.ZS, sex F), India 2018', async () => {
    const src = find(
      onw(),
      (r) => r.indicator_code === 'IT.NET.USER.FE.ZS' && r.iso3 === 'IND' && r.year === '2018',
    );
    expect((await one('IT.NET.USER.FE.ZS', 'IND', 2018)).value).toBe(Number(src.value));
    expect((await one('IT.NET.USER.ZS', 'IND', 2018, { sex: 'F' })).value).toBe(Number(src.value));
  });
  it('7. R&D expenditure % of GDP, Republic of Korea 2020', async () => {
    const src = find(
      onw(),
      (r) => r.indicator_code === 'GB.XPD.RSDV.GD.ZS' && r.iso3 === 'KOR' && r.year === '2020',
    );
    expect((await one('GB.XPD.RSDV.GD.ZS', 'KOR', 2020)).value).toBe(Number(src.value));
  });
  it('8. ITU active mobile-broadband subscriptions, Ethiopia 2019', async () => {
    const src = find(
      readCsv('itu-mobile-broadband/itu_active_mobile_broadband_subscriptions.csv'),
      (r) => r.iso3 === 'ETH' && r.year === '2019',
    );
    expect((await one('i271mw', 'ETH', 2019)).value).toBe(Number(src.subscriptions));
  });
  it('9. ITU mobile-broadband 2 GB basket, % of GNI p.c., Senegal 2024', async () => {
    const src = find(
      readCsv('itu-price-baskets/itu_price_baskets_long.csv'),
      (r) => r.iso3 === 'SEN' && r.year === '2024' && r.basket_code === 'i271mb_2GB_GNI',
    );
    expect((await one('i271mb_2GB_GNI', 'SEN', 2024)).value).toBe(Number(src.value));
  });
  it('10. SDG 17.6.1 fixed broadband ≥10 Mbit/s per 100, Albania 2018, and 4G coverage, Brazil 2018 (UN SDG 2020)', async () => {
    const sdg = readCsv('un-sdg-2020/sdg_ict_rd_country_year.csv.gz');
    const bb = find(
      sdg,
      (r) =>
        r.series_code === 'IT_NET_BBP' &&
        r.iso3 === 'ALB' &&
        r.year === '2018' &&
        r.type_of_speed === '10mbps',
    );
    expect((await one('IT_NET_BBP', 'ALB', 2018, { breakdown: 'TYPE_OF_SPEED=IS_GE10M' })).value).toBe(
      Number(bb.value),
    );
    const g4 = find(sdg, (r) => r.series_code === 'IT_MOB_4GNTWK' && r.iso3 === 'BRA' && r.year === '2018');
    expect((await one('IT_MOB_4GNTWK', 'BRA', 2018)).value).toBe(Number(g4.value));
  });
  it('every observation row of every bundled file was loaded (none rejected)', async () => {
    const ds = await listDatasets(store);
    expect(ds).toHaveLength(6);
    for (const d of ds) expect(d.rejected).toBe(0);
    const total = await store.db.value<number>('SELECT count(*) FROM obs');
    expect(total).toBe(ds.reduce((s, d) => s + d.rows, 0));
  });
});

describe('group membership over time', () => {
  const members = async (group: string, year: number) =>
    (await groupMembers(store, group, { year })).map((m) => m.geo);
  it('a graduated LDC counts as an LDC before its graduation year and not after', async () => {
    // Vanuatu graduated 4 Dec 2020, Bhutan 13 Dec 2023, Botswana Dec 1994, Maldives 1 Jan 2011.
    expect(await members('LDC', 2019)).toContain('VUT');
    expect(await members('LDC', 2021)).not.toContain('VUT');
    expect(await members('LDC', 2022)).toContain('BTN');
    expect(await members('LDC', 2024)).not.toContain('BTN');
    expect(await members('LDC', 1993)).toContain('BWA');
    expect(await members('LDC', 1995)).not.toContain('BWA');
    expect(await members('LDC', 2010)).toContain('MDV');
    expect(await members('LDC', 2012)).not.toContain('MDV');
  });
  it('the LDC list for 2019 is the 47 countries of the 2020 M49 list (source flags)', async () => {
    const flagged = readCsv('classifications/m49_countries.csv')
      .filter((r) => r.ldc_2020 === '1')
      .map((r) => r.iso3)
      .sort();
    expect(flagged).toHaveLength(47);
    expect((await members('LDC', 2019)).sort()).toEqual(flagged);
  });
  it('M49 developed/developing as of 2020 and World Bank income groups by fiscal year', async () => {
    const dev = readCsv('classifications/m49_countries.csv')
      .filter((r) => r.m49_dev_status_2020 === 'Developed')
      .map((r) => r.iso3)
      .sort();
    expect((await members('DEVELOPED', 2019)).sort()).toEqual(dev);
    // FY21 (1 July 2020 - 30 June 2021) is in force on 1 July 2020, the reference date for 2020.
    const hist = readCsv('classifications/wb_income_group_history.csv');
    const fy21low = hist
      .filter((r) => r.wb_fiscal_year === 'FY21' && r.income_group === 'L')
      .map((r) => r.iso3)
      .sort();
    expect((await members('WB_L', 2020)).sort()).toEqual(fy21low);
  });
});

describe('reload, export and rebuild', () => {
  it('loading the bundled data again changes nothing', async () => {
    const before = await store.db.all(
      'SELECT count(*) n, sum(CAST(value AS DECIMAL(38, 6))) s, max(dataset) d FROM observations',
    );
    const reports = await loadBundled(store);
    expect(reports.map((r) => r.status)).toEqual(Array(6).fill('unchanged'));
    expect(
      await store.db.all(
        'SELECT count(*) n, sum(CAST(value AS DECIMAL(38, 6))) s, max(dataset) d FROM observations',
      ),
    ).toEqual(before);
  });

  it('exports an indicator to Parquet and CSV with provenance', async () => {
    const pq = join(tmp.dir, 'amb.parquet');
    const r = await exportSeries(store, { indicators: ['i271mw'], out: pq });
    const n = await store.db.value<number>(`SELECT count(*) FROM obs WHERE indicator = 'i271mw'`);
    expect(r.rows).toBe(n);
    const back = await store.db.all<{ n: number; vintages: number }>(
      `SELECT count(*) n, count(DISTINCT vintage) vintages FROM read_parquet('${pq}')`,
    );
    expect(back[0]).toEqual({ n, vintages: 1 });
    const csv = join(tmp.dir, 'amb.csv');
    await exportSeries(store, { indicators: ['i271mw'], out: csv, geo: ['ETH'] });
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'indicator,geo,period,year,sex,area,age,quintile,breakdown,value,flags,source,vintage,licence',
    );
    expect(lines.length - 1).toBe(
      await store.db.value<number>(`SELECT count(*) FROM obs WHERE indicator = 'i271mw' AND geo = 'ETH'`),
    );
  });

  it('the store can be rebuilt from its Parquet export', async () => {
    const dir = join(tmp.dir, 'export');
    await exportStore(store, dir);
    const rebuilt = await rebuildStore(dir, join(tmp.dir, 'rebuilt.duckdb'));
    const q = `SELECT count(*) n, sum(CAST(value AS DECIMAL(38, 6))) s, count(DISTINCT indicator) i, count(DISTINCT dataset) d FROM obs`;
    expect(await rebuilt.db.all(q)).toEqual(await store.db.all(q));
    for (const t of ['geos', 'groups', 'memberships', 'indicators', 'datasets', 'sdg_names'])
      expect(await rebuilt.db.value(`SELECT count(*) FROM ${t}`)).toBe(
        await store.db.value(`SELECT count(*) FROM ${t}`),
      );
    // The rebuilt store keeps working: its dataset sequence continues after the existing ids.
    const next = await rebuilt.db.value<number>(`SELECT nextval('dataset_id')`);
    expect(next).toBeGreaterThan(6);
    rebuilt.close();
  });
});
