/**
 * The divide commands through the real `pontis` executable against a store loaded with the
 * bundled data: --json / --csv output with method and coverage, and exit code 1 with a clear
 * message for bad input.
 */
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli, tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let path: string;

beforeAll(async () => {
  path = join(tmp.dir, 'cli.duckdb');
  const store = await openStore({ path });
  await loadBundled(store);
  // Independent numbers for the checks below, computed while the store is open.
  const r = await store.db.one<{ num: number; den: number }>(
    `SELECT sum(a.value) AS num, sum(b.value) AS den
     FROM (SELECT DISTINCT geo FROM memberships WHERE group_code = 'DEVELOPED') m
     JOIN obs a ON a.geo = m.geo AND a.indicator = 'i271mw' AND a.year = 2019 AND a.sex = '_T'
     JOIN obs b ON b.geo = m.geo AND b.indicator = 'WPP.POP' AND b.year = 2019 AND b.sex = '_T'`,
  );
  developed = (r!.num / r!.den) * 100;
  const m = await store.db.one<{ mean: number; n: number }>(
    `SELECT avg(a.value) AS mean, count(*) AS n
     FROM (SELECT DISTINCT geo FROM memberships WHERE group_code = 'DEVELOPED') m
     JOIN obs a ON a.geo = m.geo AND a.indicator = 'i271mw' AND a.year = 2019 AND a.sex = '_T'`,
  );
  developedMean = m!.mean;
  developedMeanN = Number(m!.n);
  store.close();
}, 120_000);
afterAll(() => tmp.cleanup());

let developed = Number.NaN;
let developedMean = Number.NaN;
let developedMeanN = 0;
const cli = (...args: string[]) => runCli(['--store', path, ...args]);

describe('pontis aggregate', () => {
  it('--json: values with coverage, method and sources; the preset states the resolution figures', async () => {
    const r = await cli('aggregate', '--preset', 'mobile-broadband-per-100', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Array<{
        group: string;
        value: number;
        published: number;
        population_share: number;
        countries: number;
      }>;
      method: { name: string };
      sources: Array<{ indicator: string; vintage: string }>;
      preset: { published: Record<string, { citation: string }> };
    };
    const dev = out.rows.find((x) => x.group === 'DEVELOPED')!;
    expect(dev.value).toBeCloseTo(developed, 3);
    expect(dev.published).toBe(122);
    expect(dev.population_share).toBeGreaterThan(0.9);
    expect(out.method.name).toBe('ratio-of-sums');
    expect(out.preset.published.LDC!.citation).toMatch(/A\/RES\/75\/202 para\. 16/);
    expect(out.sources.map((s) => s.indicator).sort()).toEqual(['WPP.POP', 'i271mw']);
  });

  it('the explicit form gives the same number; the table prints method, coverage and sources under it', async () => {
    const r = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--scale',
      '100',
      '--groups',
      'developed,developing,ldc',
      '--year',
      '2019',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^indicator\s+group\s+year\s+status\s+value/);
    expect(r.stdout).toContain(`DEVELOPED   2019  ok      ${developed.toFixed(4)}`);
    expect(r.stdout).toMatch(/method: ratio-of-sums/);
    expect(r.stdout).toMatch(/coverage: /);
    expect(r.stdout).toMatch(/i271mw: ITU .*vintage 2024-03-22/);
  });

  it('--csv has one line per group with its method and coverage columns', async () => {
    const r = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--groups',
      'ldc,developed',
      '--year',
      '2019',
      '--csv',
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'indicator,group,year,status,value,method,denominator,weight,scale,coverage_weight,fill_window,fill_method,min_coverage,countries,members,country_share,population_share,filled,reason',
    );
    expect(lines).toHaveLength(3);
  });

  it.each([
    [['--indicator', 'NOPE', '--groups', 'ldc', '--year', '2019'], /unknown indicator NOPE/],
    [
      ['--indicator', 'i271mw', '--denominator', 'WPP.POP', '--groups', 'nogroup', '--year', '2019'],
      /unknown group nogroup/,
    ],
    [
      ['--indicator', 'i271mw', '--denominator', 'WPP.POP', '--groups', 'ldc', '--year', '1990'],
      /no data for 1990/,
    ],
    [
      ['--indicator', 'IT.NET.USER.ZS', '--weight', 'GB_POP_SCIERD', '--groups', 'ldc', '--year', '2021'],
      /weight GB_POP_SCIERD has no data for 2021/,
    ],
    [
      ['--indicator', 'SP.POP.TOTL', '--method', 'mean', '--groups', 'WB_L', '--year', '1985'],
      /group WB_L has no members on 1985-07-01/,
    ],
  ])('bad input %j → exit 1 and a clear message', async (args, message) => {
    const r = await cli('aggregate', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/NaN|internal error/);
    expect(r.stdout).toBe('');
  });
});

describe('pontis gap / inequality / progress / affordability', () => {
  it('gap --preset internet-gender-gap: world shown with its coverage, LDCs withheld with the reason', async () => {
    const r = await cli('gap', '--preset', 'internet-gender-gap', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Array<{
        geo: string;
        status: string;
        gap: number | null;
        population_share: number;
        published_gap: number;
        reason: string | null;
      }>;
    };
    const world = out.rows.find((x) => x.geo === 'WORLD')!;
    const ldc = out.rows.find((x) => x.geo === 'LDC')!;
    expect(world.status).toBe('ok');
    expect(world.published_gap).toBe(0.17);
    expect(world.population_share).toBeGreaterThan(0.5);
    expect(ldc.status).toBe('withheld');
    expect(ldc.gap).toBeNull();
    expect(ldc.reason).toMatch(/below the minimum/);
  });

  it('inequality, progress and affordability run and print their method', async () => {
    const a = await cli('inequality', '--indicator', 'IT.NET.USER.ZS', '--year', '2019', '--by', 'income');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/theil between/);
    const b = await cli('progress', '--indicator', 'IT.NET.USER.ZS', '--geo', 'KEN', '--csv');
    expect(b.code).toBe(0);
    expect(b.stdout.split('\n')[0]).toMatch(/^target,target_value/);
    const c = await cli('affordability', '--year', '2024', '--json');
    expect(c.code).toBe(0);
    expect((JSON.parse(c.stdout) as { rows: unknown[] }).rows).toHaveLength(4);
    const d = await cli('gap', '--indicator', 'IT.NET.USER.ZS', '--geo', 'ATLANTIS', '--year', '2019');
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/unknown country or group ATLANTIS/);
  });
});

// --csv must say how every row was computed and how much of its group it covers, exactly as the
// JSON of the same call does: each CSV row is parsed and compared, column by column, with the JSON
// row, and the method and coverage columns with the JSON metadata.
type JsonRow = Record<string, unknown>;
const csvRows = (text: string): Array<Record<string, string>> => parse(text, { columns: true });
/** How output.ts writes a JSON value into a CSV cell (null → empty, arrays joined by ';'). */
const asCell = (v: unknown): string =>
  v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
const r4 = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x.toFixed(4)));

async function both(...args: string[]) {
  const j = await cli(...args, '--json');
  const c = await cli(...args, '--csv');
  expect(j.stderr).toBe('');
  expect(c.stderr).toBe('');
  expect([j.code, c.code]).toEqual([0, 0]);
  const json = JSON.parse(j.stdout) as { rows: JsonRow[] } & Record<string, unknown>;
  const csv = csvRows(c.stdout);
  expect(csv).toHaveLength(json.rows.length);
  const header = Object.keys(csv[0] ?? {});
  // Every CSV cell equals the JSON row's field of the same name.
  csv.forEach((row, i) => {
    for (const col of header) expect([col, row[col]]).toEqual([col, asCell(json.rows[i]![col])]);
  });
  return { json, csv, header };
}

describe('--csv carries method and coverage, as --json does', () => {
  it('aggregate: method, denominator, scale, coverage weight and coverage on every row', async () => {
    const { json, csv, header } = await both(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--scale',
      '100',
      '--groups',
      'developed,ldc',
      '--year',
      '2019',
    );
    expect(header).toEqual(
      expect.arrayContaining(['method', 'denominator', 'scale', 'countries', 'members', 'population_share']),
    );
    const meta = json as unknown as {
      method: { name: string; params: { minWeightShare: number } };
      denominator: string;
      coverageWeight: string;
      scale: number;
      coverage: Array<{
        group: string;
        withData: number;
        members: number;
        countShare: number;
        weightShare: number;
      }>;
    };
    expect(meta.method.name).toBe('ratio-of-sums');
    for (const row of csv) {
      const cov = meta.coverage.find((c) => c.group === row.group)!;
      expect(row.method).toBe('ratio');
      expect(row.denominator).toBe(meta.denominator);
      expect(row.scale).toBe(String(meta.scale));
      expect(row.coverage_weight).toBe(meta.coverageWeight);
      expect(row.min_coverage).toBe(String(meta.method.params.minWeightShare));
      expect(Number(row.countries)).toBe(cov.withData);
      expect(Number(row.members)).toBe(cov.members);
      expect(Number(row.country_share)).toBe(r4(cov.countShare));
      expect(Number(row.population_share)).toBe(r4(cov.weightShare));
    }
    expect(Number(csv.find((r) => r.group === 'DEVELOPED')!.value)).toBeCloseTo(developed, 3);
  });

  it('aggregate --method wmean names its weight; --method mean its (absent) weight', async () => {
    const w = await both(
      'aggregate',
      '--indicator',
      'IT.NET.USER.ZS',
      '--method',
      'wmean',
      '--groups',
      'ldc',
      '--year',
      '2019',
    );
    expect(w.csv[0]).toMatchObject({ method: 'wmean', weight: 'WPP.POP', denominator: '', scale: '' });
    expect((w.json as unknown as { method: { name: string } }).method.name).toBe('weighted-mean');
    const m = await both('aggregate', '--indicator', 'IT.NET.USER.ZS', '--groups', 'ldc', '--year', '2019');
    expect(m.csv[0]).toMatchObject({ method: 'mean', weight: '', coverage_weight: 'WPP.POP' });
  });

  it('gap: method, rates, weights and coverage per geo', async () => {
    const { json, csv } = await both(
      'gap',
      '--indicator',
      'IT.NET.USER.ZS',
      '--geo',
      'WORLD,KEN',
      '--year',
      '2019',
    );
    const meta = json as unknown as {
      method: { name: string; params: { populations: string; coverageWeight: string } };
      coverage: Array<{ geo: string; withData: number; members: number; weightShare: number }>;
    };
    for (const row of csv) {
      const cov = meta.coverage.find((c) => c.geo === row.geo)!;
      expect(row.method).toBe(meta.method.name);
      expect(row.method).toBe('group-gender-gap');
      expect(row.weights).toBe(meta.method.params.populations);
      expect(row.coverage_weight).toBe('WPP.POP');
      expect(Number(row.countries)).toBe(cov.withData);
      expect(Number(row.members)).toBe(cov.members);
      expect(Number(row.population_share)).toBe(r4(cov.weightShare));
    }
    expect(csv.find((r) => r.geo === 'KEN')).toMatchObject({ countries: '1', members: '1' });
  });

  it('inequality: every measure names its statistic and weight and carries the coverage it rests on', async () => {
    const { json, csv } = await both(
      'inequality',
      '--indicator',
      'IT.NET.USER.ZS',
      '--year',
      '2019',
      '--by',
      'income',
      '--from',
      '2015',
    );
    const meta = json as unknown as {
      universe: string;
      coverage: { withData: number; members: number; weightShare: number };
      method: { params: { weight: string } };
      value: { countries: number; decomposition: { coverage: { withData: number } } };
      convergence: {
        sigma: { countries: string[] };
        beta: { n: number };
        coverage: { sigma: { members: number }; beta: { members: number } };
      };
    };
    const by = (m: string) => csv.filter((r) => r.method === m);
    for (const m of ['weighted-mean', 'gini', 'theil-t', 'cv', 'cv-unweighted', 'quintile-ratio']) {
      expect(by(m).length).toBeGreaterThan(0);
    }
    for (const row of csv) {
      expect(row.method).not.toBe('');
      expect(row.universe).toBe(meta.universe);
      expect(row.members).not.toBe('');
      expect(row.population_share).not.toBe('');
    }
    const gini = by('gini')[0]!;
    expect(gini.weight).toBe(meta.method.params.weight);
    expect(Number(gini.countries)).toBe(meta.coverage.withData);
    expect(Number(gini.countries)).toBe(meta.value.countries);
    expect(Number(gini.members)).toBe(meta.coverage.members);
    expect(Number(gini.population_share)).toBe(r4(meta.coverage.weightShare));
    expect(by('cv-unweighted')[0]!.weight).toBe('');
    expect(Number(by('theil-between')[0]!.countries)).toBe(meta.value.decomposition.coverage.withData);
    for (const r of by('sigma-convergence')) {
      expect(Number(r.countries)).toBe(meta.convergence.sigma.countries.length);
      expect(Number(r.members)).toBe(meta.convergence.coverage.sigma.members);
    }
    for (const r of by('beta-convergence')) expect(Number(r.countries)).toBe(meta.convergence.beta.n);
  });

  it('progress: the ESCAP method, the series method and the coverage of the latest value', async () => {
    const { json, csv } = await both('progress', '--indicator', 'IT.NET.USER.ZS', '--geo', 'LDC');
    const meta = json as unknown as {
      seriesMethod: string;
      series: Array<{ year: number; countries: number; members: number; weightShare: number }>;
    };
    expect(csv.length).toBeGreaterThan(0);
    for (const row of csv) {
      const s = meta.series.find((x) => x.year === Number(row.latest_year))!;
      expect(row.method).toBe('escap-csi-api');
      expect(row.series_method).toBe(meta.seriesMethod);
      expect(row.trend_weighting).toBe('time');
      expect(Number(row.latest_countries)).toBe(s.countries);
      expect(Number(row.latest_members)).toBe(s.members);
      expect(Number(row.latest_population_share)).toBe(r4(s.weightShare));
    }
  });
});

describe('aggregate refuses to average counts silently', () => {
  it('a count with no method, denominator or weight → exit 2 and the rate to ask for instead', async () => {
    const r = await cli('aggregate', '--indicator', 'i271mw', '--groups', 'ldc', '--year', '2019');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/i271mw \(unit: number\) is a count/);
    expect(r.stderr).toContain('--denominator WPP.POP --scale 100 --method ratio');
    expect(r.stderr).not.toMatch(/NaN|internal error/);
  });

  it('the suggested command gives the ratio of sums; an explicit --method mean is honoured', async () => {
    const ok = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--scale',
      '100',
      '--method',
      'ratio',
      '--groups',
      'developed',
      '--year',
      '2019',
      '--json',
    );
    expect(ok.code).toBe(0);
    const rows = (JSON.parse(ok.stdout) as { rows: Array<{ value: number }> }).rows;
    expect(rows[0]!.value).toBeCloseTo(developed, 3);
    const mean = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--method',
      'mean',
      '--groups',
      'developed',
      '--year',
      '2019',
      '--json',
    );
    expect(mean.code).toBe(0);
    const m = (JSON.parse(mean.stdout) as { rows: Array<{ value: number; countries: number }> }).rows[0]!;
    expect(m.countries).toBe(developedMeanN);
    expect(m.value).toBeCloseTo(developedMean, 2);
  });

  it('rates and shares are not affected: IT.NET.USER.ZS (percent) still defaults to the mean', async () => {
    const r = await cli('aggregate', '--indicator', 'IT.NET.USER.ZS', '--groups', 'ldc', '--year', '2019');
    expect(r.code).toBe(0);
  });
});
