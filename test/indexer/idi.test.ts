/**
 * The ITU IDI recipe: structure and goalposts, the computation mechanics on small store-like
 * observations, and `pontis index build recipes/itu-idi/idi.yaml --from-store --year Y` on a store
 * holding the bundled data, with one country's scores worked out here from the store's raw values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.ts';
import { indexCoverage } from '../../src/indexer/coverage.ts';
import { loadSpecFile } from '../../src/indexer/load.ts';
import { get } from '../../src/indexer/matrix.ts';
import { dataFromObservations, sourceColumns } from '../../src/indexer/observations.ts';
import { runPipeline } from '../../src/indexer/pipeline.ts';
import { compileTree } from '../../src/indexer/tree.ts';
import { querySeries } from '../../src/store/queries.ts';
import { openStore } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const file = new URL('../../recipes/itu-idi/idi.yaml', import.meta.url).pathname;
const spec = loadSpecFile(file);

describe('ITU IDI recipe', () => {
  it('has 10 indicators in two pillars, with 3G and 4G in a coverage component', () => {
    const t = compileTree(spec);
    expect(t.indicators).toHaveLength(10);
    expect(t.aggregates).toEqual(['U', 'Coverage', 'M', 'IDI']);
    expect(
      sourceColumns(spec)
        .filter((c) => c.source !== c.column)
        .map((c) => c.source),
    ).toEqual(['IT.NET.USER.ZS', 'i271mw', 'IT_MOB_3GNTWK', 'IT_MOB_4GNTWK', 'i154_FBB5_GNI', 'IT_MOB_OWN']);
  });

  it('loads: [0, 100] on the six percentage and per-100 indicators, the provisional `observed` rule on the other four', () => {
    const gp = Object.fromEntries(spec.tree.filter((n) => n.goalposts).map((n) => [n.code, n.goalposts]));
    expect(gp).toEqual({
      i99H: [0, 100],
      xHH6_IDI: [0, 100],
      i911mw_IDI: [0, 100],
      i271G_IDI: [0, 100],
      i271GA_IDI: [0, 100],
      xHH18_IDI: [0, 100],
      i136mwi_subs_IDI: 'observed',
      i135tfb_subs_IDI: 'observed',
      i271mb_high_ts_GNI_IDI: 'observed',
      i154_FBB_ts_GNI_IDI: 'observed',
    });
    expect(spec.steps.normalise).toMatchObject({ method: 'goalposts', range: [0, 100], truncate: true });
    expect(spec.steps.aggregate.method).toBe('arithmetic');
  });

  it('computes from store-like observations: goalposts with truncation, missing indicators skipped', () => {
    const obs = [
      { indicator: 'IT.NET.USER.ZS', geo: 'AAA', year: 2022, value: 80 },
      { indicator: 'i271mw', geo: 'AAA', year: 2022, value: 1_200_000 },
      { indicator: 'SP.POP.TOTL', geo: 'AAA', year: 2022, value: 1_000_000 },
      { indicator: 'IT_MOB_3GNTWK', geo: 'AAA', year: 2022, value: 90 },
      { indicator: 'IT_MOB_4GNTWK', geo: 'AAA', year: 2022, value: 70 },
      { indicator: 'i154_FBB5_GNI', geo: 'AAA', year: 2022, value: 2.5 },
      { indicator: 'i154_FBB5_GNI', geo: 'BBB', year: 2022, value: 12.5 },
      { indicator: 'i154_FBB5_GNI', geo: 'CCC', year: 2022, value: 5 },
      { indicator: 'IT_MOB_OWN', geo: 'AAA', year: 2022, value: 60 },
      { indicator: 'IT.NET.USER.ZS', geo: 'AAA', year: 2021, value: 75 }, // other year: ignored
    ];
    const data = dataFromObservations(obs, spec, { year: 2022 });
    const r = runPipeline(data, spec);
    // mobile broadband: 1.2 M / 1 M · 100 = 120 per 100 → truncated at the goalpost 100
    expect(get(r.stages.denominated, 'AAA', 'i911mw_IDI')).toBeCloseTo(120, 12);
    expect(get(r.stages.normalised, 'AAA', 'i911mw_IDI')).toBe(100);
    // price on the provisional observed goalposts [2.5, 12.5], reversed: the cheapest scores 100,
    // the dearest 0, and 5 % of GNI scores (12.5 − 5)/(12.5 − 2.5) · 100 = 75
    expect(get(r.stages.normalised, 'AAA', 'i154_FBB_ts_GNI_IDI')).toBe(100);
    expect(get(r.stages.normalised, 'BBB', 'i154_FBB_ts_GNI_IDI')).toBe(0);
    expect(get(r.stages.normalised, 'CCC', 'i154_FBB_ts_GNI_IDI')).toBeCloseTo(75, 12);
    // U = mean(80, 100) (households missing); Coverage = mean(90, 70) = 80;
    // M = mean(80, 100, 60) (traffic and mobile basket missing); IDI = mean(U, M)
    const U = (80 + 100) / 2;
    const M = (80 + 100 + 60) / 3;
    expect(get(r.stages.aggregated, 'AAA', 'U')).toBeCloseTo(U, 12);
    expect(get(r.stages.aggregated, 'AAA', 'M')).toBeCloseTo(M, 12);
    expect(get(r.stages.aggregated, 'AAA', 'IDI')).toBeCloseTo((U + M) / 2, 12);
    const cov = indexCoverage(r, spec);
    expect(cov.missing.map((x) => x.code)).toEqual([
      'xHH6_IDI',
      'i136mwi_subs_IDI',
      'i135tfb_subs_IDI',
      'i271mb_high_ts_GNI_IDI',
    ]);
    expect(cov.statements).toEqual([
      'U (Universal connectivity) computed from 2 of 3 indicators',
      'M (Meaningful connectivity) computed from 4 of 7 indicators',
      'IDI (ICT Development Index) computed from 6 of 10 indicators',
      "scores are not comparable with ITU's published IDI",
    ]);
  });
});

describe('pontis index build recipes/itu-idi/idi.yaml --from-store (bundled data)', () => {
  const tmp = tmpDir('pontis-idi-');
  const storePath = join(tmp.dir, 'idi.duckdb');
  const out = join(tmp.dir, 'out');
  afterAll(() => tmp.cleanup());

  async function pontis(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let o = '';
    let e = '';
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      o += String(s);
      return true;
    });
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      e += String(s);
      return true;
    });
    try {
      return { code: await run(['node', 'pontis', '--store', storePath, ...args]), out: o, err: e };
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
  }

  const leaves = sourceColumns(spec).slice(0, 10); // the 10 indicators (then the denominator)
  /** raw store values: source code → geo → year → value */
  const raw = new Map<string, Map<string, Map<number, number>>>();
  let year = 0;
  let csv: { code: number; out: string; err: string };

  beforeAll(async () => {
    // the first command creates the store with the bundled data, as for a user
    expect((await pontis('init')).code).toBe(0);
    const store = await openStore({ path: storePath, readOnly: true });
    try {
      for (const { source } of sourceColumns(spec)) {
        const byGeo = new Map<string, Map<number, number>>();
        raw.set(source, byGeo);
        let rows: Awaited<ReturnType<typeof querySeries>> = [];
        try {
          rows = await querySeries(store, { indicator: source });
        } catch {
          continue; // not in the store
        }
        for (const r of rows) {
          const m = byGeo.get(r.geo) ?? new Map<number, number>();
          m.set(r.year, r.value);
          byGeo.set(r.geo, m);
        }
      }
    } finally {
      store.close();
    }
    // the year of the build: the latest year in which the most IDI indicators have data
    const withData = (y: number) =>
      leaves.filter((c) => [...(raw.get(c.source)?.values() ?? [])].some((m) => m.has(y))).length;
    let best = -1;
    for (let y = 2000; y <= 2030; y++) {
      const k = withData(y);
      if (k >= best && k > 0) {
        best = k;
        year = y;
      }
    }
    csv = await pontis('index', 'build', file, '--from-store', '--year', String(year), '--out', out, '--csv');
  }, 180_000);

  it('builds for the latest year with the most indicators, listing the missing ones and the consequence', async () => {
    expect(year).toBe(2018); // coverage and ownership (UN SDG database, Oct 2020) end in 2018
    expect(csv.code).toBe(0);
    const missing = [
      'xHH6_IDI',
      'i136mwi_subs_IDI',
      'i135tfb_subs_IDI',
      'i271mb_high_ts_GNI_IDI',
      'i154_FBB_ts_GNI_IDI',
    ];
    // the same list, worked out here from the store: indicators without a value in that year
    expect(
      leaves
        .filter((c) => ![...(raw.get(c.source)?.values() ?? [])].some((m) => m.has(year)))
        .map((c) => c.column),
    ).toEqual(missing);
    expect(csv.err).toContain('pontis: 5 of 10 indicators have no data and are left out:');
    expect(csv.err).toContain(
      'i154_FBB_ts_GNI_IDI (Fixed-broadband Internet basket price (% GNI p.c.)) [source i154_FBB5_GNI]',
    );
    expect(csv.err).toContain('U (Universal connectivity) computed from 2 of 3 indicators');
    expect(csv.err).toContain('M (Meaningful connectivity) computed from 3 of 7 indicators');
    expect(csv.err).toContain("scores are not comparable with ITU's published IDI");
    const listed = parseCsv(readFileSync(join(out, 'missing-indicators.csv'), 'utf8'), {
      columns: true,
    }) as { indicator: string; parent: string; source: string }[];
    expect(listed.map((x) => x.indicator)).toEqual(missing);
    expect(listed.find((x) => x.indicator === 'i154_FBB_ts_GNI_IDI')).toMatchObject({
      parent: 'M',
      source: 'i154_FBB5_GNI',
    });
    const coverage = readFileSync(join(out, 'coverage.csv'), 'utf8').trim().split('\n');
    expect(coverage).toContain('U,Universal connectivity,3,2,xHH6_IDI');
    expect(coverage).toContain('Coverage,3G and 4G/LTE network coverage,2,2,');

    // the table: the same listing under it, and blanks (never NaN) for units without a score
    const table = await pontis('index', 'build', file, '--from-store', '--year', String(year));
    expect(table.code).toBe(0);
    expect(table.out).not.toMatch(/NaN/);
    expect(table.out).toMatch(/5 of 10 indicators with data\nmissing: xHH6_IDI, i136mwi_subs_IDI/);
    expect(table.out).toMatch(/^YEM\s+Yemen$/m); // no indicator in 2018: rank and score blank
  });

  it("scores one country as worked out here from the store's raw values and the goalposts", () => {
    const v = (source: string, geo: string) => raw.get(source)?.get(geo)?.get(year);
    // the first unit (alphabetically) with every indicator the bundled data has for the year
    const sources = [
      'IT.NET.USER.ZS',
      'i271mw',
      'SP.POP.TOTL',
      'IT_MOB_3GNTWK',
      'IT_MOB_4GNTWK',
      'IT_MOB_OWN',
    ];
    const geo = [...(raw.get('IT_MOB_OWN')?.keys() ?? [])]
      .sort()
      .find((g) => sources.every((c) => v(c, g) !== undefined)) as string;
    expect(geo).toBeDefined();
    const x = {
      internet: v('IT.NET.USER.ZS', geo),
      mbb: v('i271mw', geo),
      pop: v('SP.POP.TOTL', geo),
      g3: v('IT_MOB_3GNTWK', geo),
      g4: v('IT_MOB_4GNTWK', geo),
      own: v('IT_MOB_OWN', geo),
    };
    for (const val of Object.values(x)) expect(val).toBeTypeOf('number');
    // goalposts [lo, hi] with truncation onto [0, 100]
    const gp = (value: number, lo: number, hi: number) =>
      Math.min(100, Math.max(0, ((value - lo) / (hi - lo)) * 100));
    const s = {
      i99H: gp(x.internet as number, 0, 100),
      i911mw_IDI: gp(((x.mbb as number) / (x.pop as number)) * 100, 0, 100),
      i271G_IDI: gp(x.g3 as number, 0, 100),
      i271GA_IDI: gp(x.g4 as number, 0, 100),
      xHH18_IDI: gp(x.own as number, 0, 100),
    };
    const rows = (f: string) =>
      parseCsv(readFileSync(join(out, f), 'utf8'), { columns: true }) as Record<string, string>[];
    const norm = rows('normalised.csv').find((r) => r.unit === geo) as Record<string, string>;
    for (const [code, want] of Object.entries(s)) expect(Number(norm[code])).toBeCloseTo(want, 10);
    expect(norm.xHH6_IDI).toBe(''); // missing indicators stay empty
    const U = (s.i99H + s.i911mw_IDI) / 2;
    const M = ((s.i271G_IDI + s.i271GA_IDI) / 2 + s.xHH18_IDI) / 2;
    const score = rows('scores.csv').find((r) => r.unit === geo) as Record<string, string>;
    expect(Number(score.U)).toBeCloseTo(U, 10);
    expect(Number(score.M)).toBeCloseTo(M, 10);
    expect(Number(score.score)).toBeCloseTo((U + M) / 2, 10);
    // units without any indicator: rank and score empty in the CSV (stdout and scores.csv)
    const yem = csv.out.split('\n').find((l) => l.startsWith('YEM,'));
    expect(yem).toBe('YEM,Yemen,,');
    expect(rows('scores.csv').find((r) => r.unit === 'YEM')).toMatchObject({ rank: '', score: '' });
  });

  it('cannot be compared with ITU published scores: no unit has all ten indicators in the bundled data', () => {
    // Two indicators (the traffic per subscription) are not in the bundled data at all, so no unit in
    // any year has the ten indicators ITU's scores are computed from; see docs/methodology.md §4.9.
    const full = [...(raw.get('IT.NET.USER.ZS')?.keys() ?? [])].filter((geo) =>
      leaves.every((c) => raw.get(c.source)?.get(geo)?.size),
    );
    expect(full).toEqual([]);
  });
});
