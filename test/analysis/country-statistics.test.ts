/**
 * Inequality, affordability and progress from the bundled data, checked against independent
 * arithmetic on querySeries rows (O(n²) Gini, hand counts, the CSI formula written out).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affordability } from '../../src/analysis/affordability.ts';
import { convergence } from '../../src/analysis/convergence.ts';
import { inequality } from '../../src/analysis/inequality.ts';
import { progress } from '../../src/analysis/progress.ts';
import { PontisError } from '../../src/core/errors.ts';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { querySeries } from '../../src/store/queries.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let store: Store;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'c.duckdb') });
  await loadBundled(store);
}, 120_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

async function members(group: string, year: number): Promise<string[]> {
  const rows = await store.db.all<{ geo: string }>(
    `SELECT DISTINCT geo FROM memberships WHERE group_code = ?
       AND coalesce(valid_from, DATE '0001-01-01') <= CAST(? AS DATE) AND CAST(? AS DATE) < coalesce(valid_to, DATE '9999-12-31')`,
    [group, `${year}-07-01`, `${year}-07-01`],
  );
  return rows.map((r) => r.geo);
}

async function values(indicator: string, geos: string[], year: number) {
  const rows = await querySeries(store, { indicator, geo: geos, from: year, to: year });
  return new Map(rows.map((r) => [r.geo, r.value]));
}

describe('inequality across countries, Internet use 2019', () => {
  it('population-weighted Gini equals the O(n²) definition; Theil between + within = total', async () => {
    const geos = await members('WORLD', 2019);
    const x = await values('IT.NET.USER.ZS', geos, 2019);
    const w = await values('WPP.POP', geos, 2019);
    const pts = geos.filter((g) => x.has(g) && w.has(g)).map((g) => ({ x: x.get(g)!, w: w.get(g)! }));
    const W = pts.reduce((s, p) => s + p.w, 0);
    const mu = pts.reduce((s, p) => s + p.w * p.x, 0) / W;
    let sum = 0;
    for (const a of pts) for (const b of pts) sum += a.w * b.w * Math.abs(a.x - b.x);
    const giniHand = sum / (2 * W * W * mu);
    const theilHand = pts.reduce((s, p) => s + (p.w / W) * (p.x / mu) * Math.log(p.x / mu), 0);

    const r = await inequality(store, { indicator: 'IT.NET.USER.ZS', year: 2019, by: 'income' });
    expect(r.value.countries).toBe(pts.length);
    expect(r.value.gini).toBeCloseTo(giniHand, 10);
    expect(r.value.theil).toBeCloseTo(theilHand, 10);
    const d = r.value.decomposition!;
    expect(d.within + d.between).toBeCloseTo(d.total, 12);
    expect(d.groups.map((g) => g.group)).toEqual(['WB_H', 'WB_L', 'WB_LM', 'WB_UM']);
    expect(r.coverage.withData).toBe(pts.length);
    expect(r.method.params?.weight).toBe('WPP.POP');
  });

  it('a grouping that is not a partition is an error', async () => {
    const e = await inequality(store, {
      indicator: 'IT.NET.USER.ZS',
      year: 2019,
      by: 'LDC,DEVELOPING',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PontisError);
    expect((e as PontisError).message).toMatch(/not a partition/);
  });
});

describe('convergence, Internet use 2010–2019, WORLD', () => {
  it('beta: the OLS slope of annual log growth on the initial log level, by hand', async () => {
    const geos = await members('WORLD', 2010);
    const a = await values('IT.NET.USER.ZS', geos, 2010);
    const b = await values('IT.NET.USER.ZS', geos, 2019);
    const pts = geos
      .filter((g) => (a.get(g) ?? 0) > 0 && (b.get(g) ?? 0) > 0)
      .map((g) => ({ x: Math.log(a.get(g)!), y: Math.log(b.get(g)! / a.get(g)!) / 9 }));
    const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const slope =
      pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    const r = await convergence(store, { indicator: 'IT.NET.USER.ZS', from: 2010, to: 2019 });
    expect(r.beta.n).toBe(pts.length);
    expect(r.beta.slope).toBeCloseTo(slope, 12);
    // Sigma: the first year's CV over the balanced panel, population-weighted, by hand.
    const w = await values('WPP.POP', r.sigma.countries, 2010);
    const W = r.sigma.countries.reduce((s, g) => s + w.get(g)!, 0);
    const mu = r.sigma.countries.reduce((s, g) => s + w.get(g)! * a.get(g)!, 0) / W;
    const sd = Math.sqrt(r.sigma.countries.reduce((s, g) => s + w.get(g)! * (a.get(g)! - mu) ** 2, 0) / W);
    expect(r.sigma.cv[0]).toBeCloseTo(sd / mu, 12);
  });
});

describe('affordability: mobile-broadband basket (2 GB) as % of GNI p.c., 2024, World Bank income groups', () => {
  it('share of countries below 2% and the median equal hand counts per group', async () => {
    const r = await affordability(store, { basket: 'i271mb_2GB_GNI', year: 2024 });
    expect(r.results.map((x) => x.group)).toEqual(['WB_L', 'WB_LM', 'WB_UM', 'WB_H']);
    for (const g of r.results) {
      const geos = await members(g.group, 2024);
      const share = await values('i271mb_2GB_GNI', geos, 2024);
      const s = [...share.values()].sort((a, b) => a - b);
      const below = s.filter((v) => v < 2).length;
      const mid = (s.length - 1) / 2;
      const median = (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
      if (g.result.status !== 'ok') throw new Error(g.result.reason);
      expect(g.result.value.countries).toBe(s.length);
      expect(g.result.value.countriesMeeting).toBe(below);
      expect(g.result.value.median).toBeCloseTo(median, 12);
    }
  });
});

describe('progress towards the registry targets (ESCAP)', () => {
  it('Kenya, Internet use towards the 2030 universal-connectivity target: CSI = (I_cy − I_2015) / (100 − I_2015)', async () => {
    const rows = await querySeries(store, { indicator: 'IT.NET.USER.ZS', geo: ['KEN'] });
    const i2015 = rows.find((r) => r.year === 2015)!.value;
    const last = rows[rows.length - 1]!;
    const r = await progress(store, {
      indicator: 'IT.NET.USER.ZS',
      geo: 'KEN',
      target: 'umc-2030-internet-use',
    });
    const p = r.progress[0]!;
    expect(p.current.baseline.year).toBe(2015);
    expect(p.current.current.year).toBe(last.year);
    expect(p.current.csi).toBeCloseTo((last.value - i2015) / (100 - i2015), 12);
    expect(p.current.expectedToDate).toBeCloseTo((last.year - 2015) / 15, 12);
    const api = p.anticipated.api!;
    expect(p.anticipated.classification).toBe(
      api >= 1 ? 'on-track' : api < 0 ? 'regression' : 'acceleration-needed',
    );
  });

  it('a group series is the yearly aggregate (withheld years left out and listed)', async () => {
    const r = await progress(store, { indicator: 'IT.NET.USER.ZS', geo: 'LDC', target: 'bbcom-2025-t3-ldc' });
    expect(r.unit).toEqual({ kind: 'group', code: 'LDC' });
    expect(r.seriesMethod).toMatch(/wmean/);
    for (const s of r.series) expect(s.weightShare!).toBeGreaterThanOrEqual(0.5);
    expect(r.series.length).toBeGreaterThan(10);
  });

  it('errors: unknown target, a target for another indicator', async () => {
    const a = await progress(store, {
      indicator: 'IT.NET.USER.ZS',
      geo: 'KEN',
      target: 'no-such-target',
    }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(PontisError);
    const b = await progress(store, {
      indicator: 'IT_MOB_OWN',
      geo: 'KEN',
      target: 'umc-2030-internet-use',
    }).catch((e: unknown) => e);
    expect((b as PontisError).message).toMatch(/is for IT.NET.USER.ZS/);
  });
});
