/**
 * Gender and urban/rural gaps from the store, checked against independent arithmetic on the rows
 * querySeries returns. The 2019 Internet gender gap for the world and the LDCs is reported with the
 * share of each group's population that has sex-disaggregated data (A/RES/75/202 para. 20 cites
 * ITU's 17% and 43%, which rest on ITU's own estimates for every country).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gap } from '../../src/analysis/gap.ts';
import { PontisError } from '../../src/core/errors.ts';
import { ingestFile, loadBundled } from '../../src/store/ingest-files.ts';
import { querySeries } from '../../src/store/queries.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let store: Store;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'g.duckdb') });
  await loadBundled(store);
  // A small made-up urban/rural breakdown (the bundled data have none) for the area gap arithmetic.
  const csv = join(tmp.dir, 'area.csv');
  writeFileSync(
    csv,
    [
      'indicator,geo,period,sex,area,value',
      'X.AREA.RATE,KEN,2019,_T,U,40',
      'X.AREA.RATE,KEN,2019,_T,R,10',
      'X.AREA.RATE,UGA,2019,_T,U,30',
      'X.AREA.RATE,UGA,2019,_T,R,15',
    ].join('\n'),
  );
  await ingestFile(store, csv, { source: 'test fixture' });
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

async function byGeo(indicator: string, geos: string[], year: number, dims: Record<string, string>) {
  const rows = await querySeries(store, { indicator, geo: geos, from: year, to: year, dims });
  return new Map(rows.map((r) => [r.geo, r.value]));
}

/** Independent group gender gap: rates from counts over countries with both sexes. */
async function handGender(group: string, year: number) {
  const geos = await members(group, year);
  const f = await byGeo('IT.NET.USER.ZS', geos, year, { sex: 'F' });
  const m = await byGeo('IT.NET.USER.ZS', geos, year, { sex: 'M' });
  const pf = await byGeo('WPP.POP', geos, year, { sex: 'F' });
  const pm = await byGeo('WPP.POP', geos, year, { sex: 'M' });
  const pt = await byGeo('WPP.POP', geos, year, {});
  let usersM = 0;
  let usersF = 0;
  let popM = 0;
  let popF = 0;
  let covered = 0;
  let n = 0;
  for (const g of geos) {
    if (f.has(g) && m.has(g) && pf.has(g) && pm.has(g)) {
      usersM += (m.get(g)! / 100) * pm.get(g)!;
      usersF += (f.get(g)! / 100) * pf.get(g)!;
      popM += pm.get(g)!;
      popF += pf.get(g)!;
      covered += pt.get(g)!;
      n++;
    }
  }
  const total = geos.reduce((s, g) => s + (pt.get(g) ?? 0), 0);
  const male = (100 * usersM) / popM;
  const female = (100 * usersF) / popF;
  return { male, female, gap: (male - female) / male, n, share: covered / total, members: geos.length };
}

describe('A/RES/75/202 para. 20: the 2019 gender gap in Internet use', () => {
  it('world: group rates from counts equal the independent computation; coverage is the population share with sex data', async () => {
    const h = await handGender('WORLD', 2019);
    const r = await gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: 'WORLD', year: 2019 });
    if (r.result.status !== 'ok') throw new Error(r.result.reason);
    const v = r.result.value;
    expect('male' in v && v.male).toBeCloseTo(h.male, 9);
    expect('female' in v && v.female).toBeCloseTo(h.female, 9);
    expect(v.gap).toBeCloseTo(h.gap, 12);
    expect(v.parity).toBeCloseTo(h.female / h.male, 12);
    expect(r.result.coverage.withData).toBe(h.n);
    expect(r.result.coverage.members).toBe(h.members);
    expect(r.result.coverage.weightShare!).toBeCloseTo(h.share, 12);
    // Only about half of the world's population lives in countries with 2019 sex-disaggregated
    // survey data, so the figure is not ITU's 17% (ITU estimates the rest): explained in
    // docs/methodology.md 3.11.
    expect(h.share).toBeLessThan(0.75);
    expect(Math.abs(v.gap - 0.17)).toBeGreaterThan(0.05);
    console.info(
      `2019 Internet gender gap, WORLD: ${(100 * v.gap).toFixed(1)}% (ITU 17%); ${h.n} of ${h.members} countries, ${(100 * h.share).toFixed(1)}% of the population`,
    );
  });

  it('LDCs: too few countries with sex data, so withheld under the 50% rule; shown with minCoverage 0', async () => {
    const h = await handGender('LDC', 2019);
    expect(h.share).toBeLessThan(0.5);
    const r = await gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: 'LDC', year: 2019 });
    expect(r.result.status).toBe('withheld');
    if (r.result.status === 'withheld') expect(r.result.reason).toMatch(/below the minimum 50\.0%/);
    expect(r.result.coverage.weightShare!).toBeCloseTo(h.share, 12);
    const shown = await gap(store, {
      indicator: 'IT.NET.USER.ZS',
      by: 'sex',
      group: 'LDC',
      year: 2019,
      minCoverage: 0,
    });
    if (shown.result.status !== 'ok') throw new Error(shown.result.reason);
    expect(shown.result.value.gap).toBeCloseTo(h.gap, 12);
    expect(shown.countries.length).toBe(h.n);
    console.info(
      `2019 Internet gender gap, LDC: ${(100 * h.gap).toFixed(1)}% (ITU 43%); ${h.n} of ${h.members} countries, ${(100 * h.share).toFixed(1)}% of the population`,
    );
  });

  it('a country: Kenya 2019, (M − F) / M from its two published rates', async () => {
    const m = (await byGeo('IT.NET.USER.MA.ZS', ['KEN'], 2019, {})).get('KEN')!;
    const f = (await byGeo('IT.NET.USER.FE.ZS', ['KEN'], 2019, {})).get('KEN')!;
    const r = await gap(store, { indicator: 'IT.NET.USER.FE.ZS', by: 'sex', geo: 'KEN', year: 2019 });
    if (r.result.status !== 'ok') throw new Error(r.result.reason);
    expect(r.unit).toEqual({ kind: 'geo', code: 'KEN' });
    expect(r.result.value.gap).toBeCloseTo((m - f) / m, 12);
    expect(r.result.value.parityStatus).toBe(
      f / m < 0.98 ? 'favours-reference' : f / m > 1.02 ? 'favours-other' : 'parity',
    );
  });

  it('gap-filling fills both sexes from the same year and counts the countries filled', async () => {
    const plain = await gap(store, {
      indicator: 'IT.NET.USER.ZS',
      by: 'sex',
      geo: 'LDC',
      year: 2019,
      minCoverage: 0,
    });
    const filled = await gap(store, {
      indicator: 'IT.NET.USER.ZS',
      by: 'sex',
      geo: 'LDC',
      year: 2019,
      fill: 3,
      minCoverage: 0,
    });
    expect(filled.result.coverage.withData).toBeGreaterThan(plain.result.coverage.withData);
    expect(filled.result.coverage.filled).toBe(
      filled.result.coverage.withData - plain.result.coverage.withData,
    );
  });
});

describe('urban/rural gap (made-up fixture rates, real WDI urban and rural population)', () => {
  it('Kenya: urban 40, rural 10 → gap 0.75, ratio 4, parity 0.25', async () => {
    const r = await gap(store, { indicator: 'X.AREA.RATE', by: 'area', geo: 'KEN', year: 2019 });
    if (r.result.status !== 'ok') throw new Error(r.result.reason);
    const v = r.result.value;
    expect('urban' in v && v.urban).toBe(40);
    expect(v.gap).toBeCloseTo(0.75, 15);
    expect('ratio' in v && v.ratio).toBeCloseTo(4, 15);
    expect(v.parity).toBeCloseTo(0.25, 15);
  });

  it('a custom pair of countries: rates from counts with SP.URB.TOTL / SP.RUR.TOTL', async () => {
    const u = await byGeo('SP.URB.TOTL', ['KEN', 'UGA'], 2019, {});
    const rr = await byGeo('SP.RUR.TOTL', ['KEN', 'UGA'], 2019, {});
    const urban = (40 * u.get('KEN')! + 30 * u.get('UGA')!) / (u.get('KEN')! + u.get('UGA')!);
    const rural = (10 * rr.get('KEN')! + 15 * rr.get('UGA')!) / (rr.get('KEN')! + rr.get('UGA')!);
    // M49_014 (Eastern Africa) holds KEN and UGA; the others have no fixture data.
    const r = await gap(store, {
      indicator: 'X.AREA.RATE',
      by: 'area',
      group: 'M49_014',
      year: 2019,
      minCoverage: 0,
    });
    if (r.result.status !== 'ok') throw new Error(r.result.reason);
    expect(r.countries).toEqual(['KEN', 'UGA']);
    expect(r.result.value.gap).toBeCloseTo((urban - rural) / urban, 12);
  });
});

describe('bad input', () => {
  it('unknown indicator, unknown group or country, a year without sex data', async () => {
    const err = async (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    const a = await err(gap(store, { indicator: 'NOPE', by: 'sex', geo: 'WORLD', year: 2019 }));
    expect(a).toBeInstanceOf(PontisError);
    expect((a as PontisError).location.field).toBe('indicator');
    const b = await err(gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: 'ATLANTIS', year: 2019 }));
    expect(b).toBeInstanceOf(PontisError);
    expect((b as PontisError).message).toMatch(/unknown country or group ATLANTIS/);
    const c = await err(gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: 'WORLD', year: 1980 }));
    expect((c as PontisError).message).toMatch(/no data for 1980/);
    // India published no sex-disaggregated Internet use for 2019 (checked independently).
    const indF = await querySeries(store, {
      indicator: 'IT.NET.USER.FE.ZS',
      geo: ['IND'],
      from: 2019,
      to: 2019,
    });
    expect(indF).toHaveLength(0);
    const d = await err(gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: 'IND', year: 2019 }));
    expect(d).toBeInstanceOf(PontisError);
    expect((d as PontisError).message).toMatch(
      /IND has no IT.NET.USER.ZS\[sex=M\] and IT.NET.USER.ZS\[sex=F\]/,
    );
  });
});
