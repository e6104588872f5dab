/**
 * The HTTP API on the bundled real data, in process (app.inject): every route's success and error
 * paths, values checked against the original source files in ../shared/data and the figures the
 * resolutions cite; formats, ETag/304, pagination and problem+json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type PontisApp } from '../../src/server/app.ts';
import { ingestFile, loadBundled } from '../../src/store/ingest-files.ts';
import { querySeries } from '../../src/store/queries.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { SHARED, tmpDir } from '../helpers.ts';

type Rec = Record<string, string>;
const readCsv = (rel: string): Rec[] => {
  const buf = readFileSync(join(SHARED, rel));
  const text = rel.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Rec[];
};

const tmp = tmpDir();
let store: Store;
let app: PontisApp;
let wdi: Rec[];

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'p.duckdb') });
  await loadBundled(store);
  app = await buildApp({ store });
  wdi = readCsv('gapminder-systema-globalis/wdi_ict_country_year.csv.gz');
}, 180_000);
afterAll(async () => {
  await app?.close();
  store?.close();
  tmp.cleanup();
});

const wdiValue = (code: string, iso3: string, year: number): number => {
  const hit = wdi.filter((r) => r.indicator_code === code && r.iso3 === iso3 && r.year === String(year));
  if (hit.length !== 1) throw new Error(`expected one source row, found ${hit.length}`);
  return Number(hit[0]?.value);
};

async function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers });
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  parameter?: string;
}

async function expectProblem(url: string, status: number, parameter?: string): Promise<ProblemBody> {
  const r = await get(url);
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = r.json() as ProblemBody;
  expect(p.status).toBe(status);
  expect(p.type).toMatch(/^\/api\/docs#problem-/);
  expect(p.title).toBeTruthy();
  expect(p.detail).toBeTruthy();
  expect(p.instance).toBe(url);
  if (parameter) expect(p.parameter).toBe(parameter);
  return p;
}

interface SeriesPage {
  total: number;
  limit: number;
  offset: number;
  data: Array<{ geo: string; year: number; value: number; sex: string; indicator: string }>;
}

describe('series', () => {
  it('values equal the source file (Kenya and India, Internet users 2019, WDI via Gapminder)', async () => {
    const r = await get('/api/series?indicator=IT.NET.USER.ZS&geo=KEN,IND&from=2019&to=2019');
    expect(r.statusCode).toBe(200);
    const page = r.json() as SeriesPage;
    expect(page.total).toBe(2);
    const byGeo = new Map(page.data.map((d) => [d.geo, d.value]));
    expect(byGeo.get('KEN')).toBe(wdiValue('IT.NET.USER.ZS', 'KEN', 2019));
    expect(byGeo.get('IND')).toBe(wdiValue('IT.NET.USER.ZS', 'IND', 2019));
  });

  it('dimension filters: women, via the breakdown alias and via sex=F, agree', async () => {
    const a = (await get('/api/series?indicator=IT.NET.USER.ZS&geo=IND&sex=F')).json() as SeriesPage;
    const b = (await get('/api/series?indicator=IT.NET.USER.FE.ZS&geo=IND')).json() as SeriesPage;
    expect(a.total).toBeGreaterThan(0);
    expect(a.data.every((d) => d.sex === 'F')).toBe(true);
    expect(b.data.map((d) => [d.year, d.value])).toEqual(a.data.map((d) => [d.year, d.value]));
    const all = (
      await get('/api/series?indicator=IT.NET.USER.ZS&geo=IND&sex=*&from=2018&to=2018')
    ).json() as SeriesPage;
    expect(new Set(all.data.map((d) => d.sex))).toEqual(new Set(['_T', 'F', 'M']));
  });

  it('pagination: total, pages that add up, X-Total-Count and Link headers', async () => {
    const url = '/api/series?indicator=IT.NET.USER.ZS&geo=KEN,IND,BRA';
    const full = (await get(url)).json() as SeriesPage;
    expect(full.total).toBeGreaterThan(60);
    expect(full.data).toHaveLength(full.total);
    const seen: SeriesPage['data'] = [];
    for (let offset = 0; offset < full.total; offset += 25) {
      const r = await get(`${url}&limit=25&offset=${offset}`);
      expect(r.headers['x-total-count']).toBe(String(full.total));
      const link = String(r.headers.link);
      expect(link).toContain('rel="first"');
      expect(link).toContain('rel="last"');
      if (offset + 25 < full.total) expect(link).toContain(`offset=${offset + 25}>; rel="next"`);
      else expect(link).not.toContain('rel="next"');
      const p = r.json() as SeriesPage;
      expect(p.total).toBe(full.total);
      expect(p.limit).toBe(25);
      expect(p.offset).toBe(offset);
      seen.push(...p.data);
    }
    expect(seen).toEqual(full.data);
  });

  it('CSV and SDMX-CSV parse back to the same numbers as JSON', async () => {
    const url = '/api/series?indicator=IT.CEL.SETS.P2&geo=NGA,VNM&from=2010&to=2020';
    const json = (await get(url)).json() as SeriesPage;
    expect(json.total).toBe(22);
    const csv = await get(`${url}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.body, { columns: true }) as Rec[];
    expect(rows.map((r) => [r.geo, Number(r.year), Number(r.value)])).toEqual(
      json.data.map((d) => [d.geo, d.year, d.value]),
    );
    const sdmx = await get(url, { accept: 'application/vnd.sdmx.data+csv' });
    expect(sdmx.headers['content-type']).toMatch(/^application\/vnd\.sdmx\.data\+csv/);
    const lines = sdmx.body.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,SEX,URBANISATION,AGE,INCOME_WEALTH_QUANTILE,OBS_VALUE,OBS_STATUS',
    );
    const s = parse(sdmx.body, { columns: true }) as Rec[];
    expect(s.map((r) => [r.REF_AREA, Number(r.TIME_PERIOD), Number(r.OBS_VALUE)])).toEqual(
      json.data.map((d) => [d.geo, d.year, d.value]),
    );
    expect(s.every((r) => r.INDICATOR === 'IT.CEL.SETS.P2' && r.SEX === '_T' && r.OBS_STATUS === 'A')).toBe(
      true,
    );
    const viaQuery = await get(`${url}&format=sdmx-csv`);
    expect(viaQuery.body).toBe(sdmx.body);
  });

  it("SDMX-CSV reads back with Pontis's own SDMX-CSV reader into the same observations", async () => {
    const url = '/api/series?indicator=IT.NET.USER.ZS&geo=KEN,IND&sex=*&from=2015&to=2019';
    const json = (await get(url)).json() as SeriesPage;
    expect(new Set(json.data.map((d) => d.sex))).toEqual(new Set(['_T', 'F', 'M']));
    const file = join(tmp.dir, 'roundtrip.csv');
    writeFileSync(file, (await get(`${url}&format=sdmx-csv`)).body);
    const other = await openStore({ path: ':memory:' });
    try {
      const report = await ingestFile(other, file, { format: 'sdmx-csv' });
      expect(report.status).toBe('loaded');
      expect(report.rejected).toBe(0);
      expect(report.loaded).toBe(json.total);
      const back = await querySeries(other, { indicator: 'IT.NET.USER.ZS', dims: { sex: '*' } });
      const key = (d: { geo: string; year: number; sex: string; value: number }) =>
        `${d.geo} ${d.year} ${d.sex} ${d.value}`;
      expect(back.map(key).sort()).toEqual(json.data.map(key).sort());
    } finally {
      other.close();
    }
  });

  it('errors name the parameter', async () => {
    await expectProblem('/api/series?indicator=NO.SUCH.CODE', 404, 'indicator');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&from=20x9', 400, 'from');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&from=99999', 400, 'from');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&from=2019&to=2010', 400, 'from');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&format=xml', 400, 'format');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&limit=10001', 400, 'limit');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&limit=0', 400, 'limit');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&offset=-1', 400, 'offset');
    await expectProblem('/api/series?geo=KEN', 400, 'indicator');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&colour=red', 400, 'colour');
    await expectProblem('/api/series?indicator=IT.NET.USER.ZS&geo=XXX', 404, 'geo');
    const many = Array.from({ length: 51 }, (_, i) => `G${String(i).padStart(2, '0')}`).join(',');
    const p = await expectProblem(`/api/series?indicator=IT.NET.USER.ZS&geo=${many}`, 400, 'geo');
    expect(p.detail).toContain('at most 50');
  });
});

interface AggregateBody {
  method: string;
  results: Array<{
    group: string;
    year: number;
    indicator: string;
    result: { status: string; value?: { value: number }; coverage: { withData: number; members: number } };
  }>;
  sources: Array<{ dataset: number }>;
}

describe('aggregates', () => {
  const url =
    '/api/aggregates?indicator=i271mw&denominator=WPP.POP&scale=100&group=DEVELOPED,DEVELOPING,LDC&year=2019';

  it('2019 mobile-broadband subscriptions per 100: DEVELOPED 122 ± 1.5, LDC 33 ± 1.5 (A/RES/75/202 para. 16)', async () => {
    const r = await get(url);
    expect(r.statusCode).toBe(200);
    const body = r.json() as AggregateBody;
    expect(body.method).toBe('ratio');
    const v = (g: string) => body.results.find((x) => x.group === g)?.result.value?.value ?? Number.NaN;
    expect(Math.abs(v('DEVELOPED') - 122)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(v('LDC') - 33)).toBeLessThanOrEqual(1.5);
    expect(v('DEVELOPING')).toBeGreaterThan(v('LDC'));
    expect(v('DEVELOPING')).toBeLessThan(v('DEVELOPED'));
    expect(body.sources.length).toBeGreaterThan(0);
  });

  it('CSV and SDMX-CSV carry the same numbers as JSON', async () => {
    const json = (await get(url)).json() as AggregateBody;
    const csv = parse((await get(`${url}&format=csv`)).body, { columns: true }) as Rec[];
    expect(csv.map((r) => [r.group, Number(r.year), Number(r.value), Number(r.withData)])).toEqual(
      json.results.map((x) => [x.group, x.year, x.result.value?.value, x.result.coverage.withData]),
    );
    const sdmx = parse((await get(`${url}&format=sdmx-csv`)).body, { columns: true }) as Rec[];
    expect(sdmx.map((r) => [r.REF_AREA, r.INDICATOR, r.TIME_PERIOD, Number(r.OBS_VALUE)])).toEqual(
      json.results.map((x) => [x.group, 'i271mw', '2019', x.result.value?.value]),
    );
    const accept = await get(url, { accept: 'text/csv' });
    expect(accept.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('year ranges, and a gender breakdown keeps its dimension in SDMX-CSV', async () => {
    const r = await get(
      '/api/aggregates?indicator=IT.NET.USER.FE.ZS&group=WORLD&year=2017-2019&format=sdmx-csv',
    );
    expect(r.statusCode, r.body).toBe(200);
    const rows = parse(r.body, { columns: true }) as Rec[];
    expect(rows.map((x) => x.TIME_PERIOD)).toEqual(['2017', '2018', '2019']);
    expect(rows.every((x) => x.SEX === 'F' && x.INDICATOR === 'IT.NET.USER.ZS')).toBe(true);
  });

  it('presets: the cited divides recomputed with the published figures alongside', async () => {
    const r = await get('/api/aggregates/presets');
    expect(r.statusCode).toBe(200);
    const [p] = r.json() as Array<{
      id: string;
      published: Record<string, { value: number }>;
      report: AggregateBody;
    }>;
    expect(p?.id).toBe('mobile-broadband-per-100');
    expect(p?.published.DEVELOPED?.value).toBe(122);
    const dev = p?.report.results.find((x) => x.group === 'DEVELOPED')?.result.value?.value ?? 0;
    expect(Math.abs(dev - 122)).toBeLessThanOrEqual(1.5);
  });

  it('errors name the parameter', async () => {
    await expectProblem('/api/aggregates?indicator=i271mw&group=NOGROUP&year=2019', 404, 'group');
    await expectProblem('/api/aggregates?indicator=NOPE&group=LDC&year=2019', 404, 'indicator');
    await expectProblem('/api/aggregates?indicator=i271mw&group=LDC&year=19', 400, 'year');
    await expectProblem('/api/aggregates?indicator=i271mw&group=LDC&year=2019-2010', 400, 'year');
    await expectProblem('/api/aggregates?indicator=i271mw&group=LDC&year=1900-2000', 400, 'year');
    await expectProblem('/api/aggregates?indicator=i271mw&group=LDC', 400, 'year');
    await expectProblem(
      '/api/aggregates?indicator=i271mw&group=LDC&year=2019&method=geometric',
      400,
      'method',
    );
    await expectProblem('/api/aggregates?indicator=i271mw&group=LDC&year=2019&format=pdf', 400, 'format');
    const groups = Array.from({ length: 21 }, (_, i) => `G${i}`).join(',');
    await expectProblem(`/api/aggregates?indicator=i271mw&group=${groups}&year=2019`, 400, 'group');
    await expectProblem(
      '/api/aggregates?indicator=i271mw&group=LDC&year=2019&scale=100&method=mean',
      400,
      'scale',
    );
  });
});

describe('indicators', () => {
  it('search finds the Internet-use indicator with its coverage; pages and CSV', async () => {
    const r = await get('/api/indicators?search=internet');
    expect(r.statusCode).toBe(200);
    const p = r.json() as {
      total: number;
      data: Array<{ code: string; observations: number; last_year: number }>;
    };
    const hit = p.data.find((d) => d.code === 'IT.NET.USER.ZS');
    expect(hit?.observations).toBeGreaterThan(1000);
    expect(hit?.last_year).toBeGreaterThanOrEqual(2019);
    const all = (await get('/api/indicators?limit=5')).json() as { total: number; data: unknown[] };
    expect(all.data).toHaveLength(5);
    expect(all.total).toBeGreaterThan(p.total);
    const csv = parse((await get('/api/indicators?search=internet&format=csv')).body, {
      columns: true,
    }) as Rec[];
    expect(csv.map((x) => x.code)).toEqual(p.data.map((d) => d.code));
  });

  it('metadata of one indicator, names in another language; unknown code 404', async () => {
    const r = await get('/api/indicators/IT.NET.USER.FE.ZS');
    expect(r.statusCode).toBe(200);
    const m = r.json() as {
      code: string;
      requested: string;
      dimensions: Record<string, string>;
      unit: string;
    };
    expect(m.code).toBe('IT.NET.USER.ZS');
    expect(m.dimensions).toEqual({ sex: 'F' });
    await expectProblem('/api/indicators/NOT.A.CODE', 404, 'indicator');
    await expectProblem('/api/indicators/IT.NET.USER.ZS?lang=xx', 400, 'lang');
    await expectProblem('/api/indicators?limit=99999', 400, 'limit');
  });
});

describe('gaps, affordability, inequality, progress', () => {
  it('gender gap in Internet use for a country equals (M − F) / M from the series', async () => {
    const r = await get('/api/gaps?indicator=IT.NET.USER.ZS&by=sex&geo=KEN&year=2019');
    expect(r.statusCode, r.body).toBe(200);
    const g = r.json() as { result: { status: string; value: { gap: number; parity: number } } };
    const s = (
      await get('/api/series?indicator=IT.NET.USER.ZS&geo=KEN&sex=*&from=2019&to=2019')
    ).json() as SeriesPage;
    const m = s.data.find((d) => d.sex === 'M')?.value ?? Number.NaN;
    const f = s.data.find((d) => d.sex === 'F')?.value ?? Number.NaN;
    expect(g.result.status).toBe('ok');
    expect(g.result.value.gap).toBeCloseTo((m - f) / m, 10);
    expect(g.result.value.parity).toBeCloseTo(f / m, 10);
  });

  it('gap presets and group gaps', async () => {
    const r = await get('/api/gaps/presets');
    expect(r.statusCode).toBe(200);
    const [p] = r.json() as Array<{ id: string; reports: Array<{ unit: { code: string } }> }>;
    expect(p?.reports.map((x) => x.unit.code)).toEqual(['WORLD', 'LDC']);
    await expectProblem('/api/gaps?indicator=IT.NET.USER.ZS&by=age&geo=IND&year=2019', 400, 'by');
    await expectProblem('/api/gaps?indicator=IT.NET.USER.ZS&by=sex&year=2019', 400, 'geo');
    await expectProblem('/api/gaps?indicator=IT.NET.USER.ZS&by=sex&group=NOPE&year=2019', 404, 'group');
  });

  it('affordability of the mobile-broadband basket by income group', async () => {
    const r = await get('/api/affordability?basket=i271mb_2GB_GNI&year=2024');
    expect(r.statusCode, r.body).toBe(200);
    const a = r.json() as { results: Array<{ group: string; result: { status: string } }> };
    expect(a.results.map((x) => x.group)).toEqual(['WB_L', 'WB_LM', 'WB_UM', 'WB_H']);
    const csv = parse((await get('/api/affordability?basket=i271mb_2GB_GNI&year=2024&format=csv')).body, {
      columns: true,
    }) as Rec[];
    expect(csv.map((x) => x.status)).toEqual(a.results.map((x) => x.result.status));
    await expectProblem('/api/affordability?basket=i271mb_2GB_GNI&year=2024&threshold=-1', 400, 'threshold');
    await expectProblem('/api/affordability?basket=NOPE&year=2019', 404);
  });

  it('inequality: Theil between + within = total', async () => {
    const r = await get('/api/inequality?indicator=IT.NET.USER.ZS&year=2019&by=income');
    expect(r.statusCode, r.body).toBe(200);
    const v = (
      r.json() as {
        value: { gini: number; decomposition: { total: number; within: number; between: number } };
      }
    ).value;
    expect(v.gini).toBeGreaterThan(0);
    expect(v.gini).toBeLessThan(1);
    expect(v.decomposition.within + v.decomposition.between).toBeCloseTo(v.decomposition.total, 10);
    await expectProblem('/api/inequality?indicator=IT.NET.USER.ZS', 400, 'year');
  });

  it('progress of a country: its series equals the observations', async () => {
    const r = await get('/api/progress?indicator=IT.NET.USER.ZS&geo=KEN');
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as { series: Array<{ year: number; value: number }>; progress: unknown[] };
    expect(p.series.find((x) => x.year === 2019)?.value).toBe(wdiValue('IT.NET.USER.ZS', 'KEN', 2019));
    expect(p.progress.length).toBeGreaterThan(0);
    await expectProblem('/api/progress?indicator=IT.NET.USER.ZS', 400, 'geo');
    await expectProblem('/api/progress?geo=KEN', 400, 'indicator');
  });
});

describe('indices', () => {
  it('lists the recipes; the ITU IDI is listed as not buildable with the reason', async () => {
    const list = (await get('/api/indices')).json() as Array<{
      id: string;
      available: boolean;
      reason: string | null;
    }>;
    expect(list.find((x) => x.id === 'asem')?.available).toBe(true);
    const idi = list.find((x) => x.id === 'itu-idi');
    expect(idi?.available).toBe(false);
    expect(idi?.reason).toContain('no data table');
    await expectProblem('/api/indices/itu-idi', 409, 'id');
    await expectProblem('/api/indices/nope', 404, 'id');
  });

  it('ASEM scores, ranks and pillars; CSV agrees', async () => {
    const r = await get('/api/indices/asem');
    expect(r.statusCode).toBe(200);
    const b = r.json() as {
      units: number;
      pillars: string[];
      scores: Array<Record<string, number | string | null>>;
    };
    expect(b.units).toBe(51);
    expect(b.pillars).toContain('Conn');
    expect(b.scores).toHaveLength(51);
    expect(b.scores[0]?.rank).toBe(1);
    const scores = b.scores.map((s) => s.score as number);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const csv = parse((await get('/api/indices/asem?format=csv')).body, { columns: true }) as Rec[];
    expect(csv.map((x) => [x.unit, Number(x.rank), Number(x.score)])).toEqual(
      b.scores.map((s) => [s.unit, s.rank, s.score]),
    );
  });

  it('rank intervals contain the median rank, computed once', async () => {
    const r = await get('/api/indices/asem/intervals');
    expect(r.statusCode).toBe(200);
    const a = r.json() as {
      runs: number;
      intervals: Array<{ unit: string; q05: number; q95: number; median: number }>;
    };
    expect(a.runs).toBeGreaterThan(0);
    expect(a.runs).toBeLessThanOrEqual(1000);
    expect(a.intervals).toHaveLength(51);
    for (const x of a.intervals) {
      expect(x.q05).toBeLessThanOrEqual(x.median);
      expect(x.median).toBeLessThanOrEqual(x.q95);
    }
    const t0 = performance.now();
    const again = await get('/api/indices/asem/intervals?format=csv');
    expect(again.statusCode).toBe(200);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('groups and datasets', () => {
  it('groups with member counts; LDC members in 2019 include Bhutan, not in 2024', async () => {
    const groups = (await get('/api/groups?year=2019')).json() as Array<{ code: string; members: number }>;
    expect(groups.find((g) => g.code === 'LDC')?.members).toBe(47);
    const m2019 = (await get('/api/groups/LDC?year=2019')).json() as { members: Array<{ geo: string }> };
    expect(m2019.members.map((m) => m.geo)).toContain('BTN');
    const m2024 = (await get('/api/groups/LDC?year=2024')).json() as { members: Array<{ geo: string }> };
    expect(m2024.members.map((m) => m.geo)).not.toContain('BTN');
    await expectProblem('/api/groups/NOGROUP', 404, 'group');
    await expectProblem('/api/groups?year=abcd', 400, 'year');
  });

  it('datasets with their provenance', async () => {
    const d = (await get('/api/datasets')).json() as Array<{ id: number; source: string; rows: number }>;
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x) => x.rows > 0 && x.source)).toBe(true);
  });
});

describe('HTTP behaviour', () => {
  it('ETag and Cache-Control; 304 on If-None-Match; a different request has a different ETag', async () => {
    const url = '/api/series?indicator=IT.NET.USER.ZS&geo=KEN';
    const r = await get(url);
    const etag = String(r.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(r.headers['cache-control']).toMatch(/max-age=\d+/);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const other = await get(`${url}&from=2000`);
    expect(other.headers.etag).not.toBe(etag);
    expect((await get(url, { 'if-none-match': other.headers.etag as string })).statusCode).toBe(200);
    const csv = await get(url, { accept: 'text/csv' });
    expect(csv.headers.etag).not.toBe(etag);
  });

  it('errors are not cached; unknown routes are 404 problems', async () => {
    const r = await get('/api/series?indicator=NOPE');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers.etag).toBeUndefined();
    await expectProblem('/api/does-not-exist', 404);
    await expectProblem('/nothing/here?x=1', 404);
  });

  it('security headers and a strict CSP on API responses', async () => {
    const r = await get('/api/datasets');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('compresses large responses when asked', async () => {
    const r = await get('/api/indicators', { 'accept-encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    const plain = await get('/api/indicators');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(gunzipSync(r.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('OpenAPI document lists every route with its parameters; the docs page needs no script', async () => {
    const doc = (await get('/api/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, { get?: { parameters?: Array<{ name: string; required?: boolean }> } }>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/indicators',
      '/api/indicators/{code}',
      '/api/series',
      '/api/aggregates',
      '/api/gaps',
      '/api/affordability',
      '/api/inequality',
      '/api/progress',
      '/api/indices',
      '/api/indices/{id}',
      '/api/indices/{id}/intervals',
      '/api/groups',
      '/api/groups/{code}',
      '/api/datasets',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    const responses = (doc.paths['/api/series']?.get as { responses?: Record<string, { content?: object }> })
      ?.responses;
    expect(Object.keys(responses?.['400']?.content ?? {})).toEqual(['application/problem+json']);
    expect(Object.keys(responses?.['200']?.content ?? {})).toContain('application/vnd.sdmx.data+csv');
    const series = doc.paths['/api/series']?.get?.parameters ?? [];
    expect(series.find((p) => p.name === 'indicator')?.required).toBe(true);
    expect(series.map((p) => p.name)).toEqual(
      expect.arrayContaining(['geo', 'from', 'to', 'sex', 'limit', 'format']),
    );
    const html = await get('/api/docs');
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).not.toContain('<script');
    expect(html.body).toContain('/api/series');
    expect(html.body).toContain('id="problem-not-found"');
  });
});

describe('response cache', () => {
  it('a repeated request is served from memory with the same body and headers; Accept is part of the key', async () => {
    const health = async () =>
      ((await get('/api/health')).json() as { cache: { hits: number; misses: number } }).cache;
    const url = '/api/series?indicator=IT.CEL.SETS&geo=KEN,GHA&from=2015&limit=5';
    const first = await get(url);
    const before = await health();
    const second = await get(url);
    const after = await health();
    expect(after.hits).toBe(before.hits + 1);
    expect(second.body).toBe(first.body);
    for (const h of ['content-type', 'x-total-count', 'link', 'etag', 'cache-control'])
      expect(second.headers[h], h).toBe(first.headers[h]);
    const csv = await get(url, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).not.toBe(first.body);
    expect((await get('/api/health')).headers.etag).toBeUndefined();
  });

  it('turned off with cacheBytes: 0', async () => {
    const plain = await buildApp({ store, cacheBytes: 0 });
    try {
      await plain.inject({ method: 'GET', url: '/api/datasets' });
      const h = (await plain.inject({ method: 'GET', url: '/api/health' })).json() as { cache: unknown };
      expect(h.cache).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
