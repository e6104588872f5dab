/**
 * Checks the bundled default data in data/ (written by scripts/curate-data.ts): the schema of every file,
 * referential integrity, and spot values against the original files in ../shared/data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

type Row = Record<string, string>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'data');
const SHARED = resolve(process.env.PONTIS_SHARED_DATA ?? join(ROOT, '../shared/data'));
const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'];

function readText(path: string): string {
  let buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString('utf8');
}
function header(path: string): string[] {
  return readText(path).split('\n', 1)[0]!.split(',');
}
function readCsv(path: string): Row[] {
  return parse(readText(path), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}
const data = (rel: string): Row[] => readCsv(join(DATA, rel));
const shared = (rel: string): Row[] => readCsv(join(SHARED, rel));

interface ManifestEntry {
  file: string;
  format: string;
  source: string;
  vintage: string;
  licence: string;
  retrieved: string;
  url: string;
}
const manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as {
  datasets: ManifestEntry[];
};
const geos = data('geos.csv');
const geoCodes = new Set(geos.map((g) => g.iso3!));
const indicators = data('indicators.csv');
const indicatorCodes = new Set(indicators.map((i) => i.code!));
const groups = data('groups.csv');
const memberships = data('memberships.csv');
const observations = new Map(manifest.datasets.map((d) => [d.file, data(d.file)]));

function obs(file: string): Row[] {
  const rows = observations.get(`observations/${file}`);
  if (!rows) throw new Error(`no observation file ${file}`);
  return rows;
}
function findOne(rows: Row[], match: Row): Row {
  const hits = rows.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v));
  if (hits.length !== 1) throw new Error(`expected one row for ${JSON.stringify(match)}, got ${hits.length}`);
  return hits[0]!;
}
function inGroup(group: string, geo: string, date: string): boolean {
  return memberships.some(
    (m) =>
      m.group === group &&
      m.geo === geo &&
      (m.valid_from === '' || m.valid_from! <= date) &&
      (m.valid_to === '' || date < m.valid_to!),
  );
}
function membersOn(group: string, date: string): string[] {
  return [...new Set(memberships.filter((m) => m.group === group).map((m) => m.geo!))]
    .filter((g) => inGroup(group, g, date))
    .sort();
}

const OBS_HEADER = ['indicator', 'geo', 'period', 'sex', 'area', 'value', 'flags'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('manifest.json', () => {
  it('lists existing tidy-csv files with full provenance', () => {
    expect(manifest.datasets.length).toBe(6);
    for (const d of manifest.datasets) {
      expect(existsSync(join(DATA, d.file)), d.file).toBe(true);
      expect(d.file).toMatch(/^observations\/[a-z0-9-]+\.csv\.gz$/);
      expect(d.format).toBe('tidy-csv');
      for (const k of ['source', 'vintage', 'licence', 'retrieved', 'url'] as const)
        expect(d[k], `${d.file} ${k}`).not.toBe('');
    }
  });
});

describe.each(manifest.datasets.map((d) => d.file))('%s', (file) => {
  const rows = observations.get(file)!;
  const head = header(join(DATA, file));
  const extra = head.slice(OBS_HEADER.length);

  it('has the Pontis tidy header (+ breakdown columns only where needed)', () => {
    expect(head.slice(0, OBS_HEADER.length)).toEqual(OBS_HEADER);
    expect(extra).toEqual(file.includes('un-sdg-2020') ? ['type_of_speed'] : []);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('has valid codes and numbers', () => {
    const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
    const bad: string[] = [];
    for (const r of rows) {
      const ok =
        geoCodes.has(r.geo!) &&
        indicatorCodes.has(r.indicator!) &&
        /^\d{4}$/.test(r.period!) &&
        ['F', 'M', '_T'].includes(r.sex!) &&
        ['U', 'R', '_T'].includes(r.area!) &&
        ['', 'E', 'G'].includes(r.flags!) &&
        NUMBER.test(r.value!) &&
        extra.every((c) => r[c] !== '' && r[c] !== undefined);
      if (!ok) bad.push(JSON.stringify(r));
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('has no duplicate keys', () => {
    const keys = new Set<string>();
    const dups: string[] = [];
    for (const r of rows) {
      const k = [r.indicator, r.geo, r.period, r.sex, r.area, ...extra.map((c) => r[c])].join('|');
      if (keys.has(k)) dups.push(k);
      keys.add(k);
    }
    expect(dups).toEqual([]);
  });
});

describe('geos.csv', () => {
  it('has the header and unique codes', () => {
    expect(header(join(DATA, 'geos.csv'))).toEqual([
      'm49',
      'iso3',
      'iso2',
      ...LANGS.map((l) => `name_${l}`),
      'region_code',
      'subregion_code',
      'intermediate_region_code',
    ]);
    expect(geoCodes.size).toBe(geos.length);
    expect(new Set(geos.map((g) => g.m49)).size).toBe(geos.length);
    for (const g of geos) {
      expect(g.iso3).toMatch(/^[A-Z]{3}$/);
      expect(g.m49).toMatch(/^\d{3}$/);
      expect(g.name_en).not.toBe('');
    }
  });

  it('copies the UN names from country_names.csv and adds only TWN', () => {
    const src = shared('country-names/country_names.csv');
    expect(geos.length).toBe(src.length + 1);
    for (const s of src) expect(findOne(geos, { iso3: s.iso3! })).toEqual(s);
    const twn = findOne(geos, { iso3: 'TWN' });
    expect(twn.m49).toBe('158');
    expect(twn.name_zh).toBe('');
    expect(findOne(geos, { iso3: 'TUR' }).name_en).toBe('Türkiye');
  });

  it('uses region codes that regions.csv names', () => {
    const regions = new Set(data('regions.csv').map((r) => r.m49));
    for (const g of geos)
      for (const c of [g.region_code, g.subregion_code, g.intermediate_region_code])
        if (c) expect(regions.has(c), `${g.iso3} ${c}`).toBe(true);
  });
});

describe('regions.csv and groups.csv', () => {
  it('regions have level, parent and six names', () => {
    const regions = data('regions.csv');
    expect(header(join(DATA, 'regions.csv'))).toEqual([
      'm49',
      'level',
      'parent_m49',
      ...LANGS.map((l) => `name_${l}`),
    ]);
    expect(regions.length).toBe(30);
    for (const r of regions) {
      expect(['world', 'region', 'subregion', 'intermediate_region']).toContain(r.level);
      for (const l of LANGS) expect(r[`name_${l}`]).not.toBe('');
    }
    expect(findOne(regions, { m49: '029' }).parent_m49).toBe('419');
  });

  it('groups have the header, known kinds and unique codes', () => {
    expect(header(join(DATA, 'groups.csv'))).toEqual([
      'code',
      'kind',
      ...LANGS.map((l) => `name_${l}`),
      'source',
      'note',
    ]);
    expect(new Set(groups.map((g) => g.code)).size).toBe(groups.length);
    const kinds = ['world', 'm49-region', 'm49-subregion', 'm49-intermediate', 'development', 'income'];
    for (const g of groups) {
      expect(kinds).toContain(g.kind);
      expect(g.name_en).not.toBe('');
    }
    for (const c of [
      'WORLD',
      'M49_002',
      'M49_419',
      'M49_029',
      'LDC',
      'LLDC',
      'SIDS',
      'DEVELOPED',
      'DEVELOPING',
      'WB_L',
      'WB_LM',
      'WB_UM',
      'WB_H',
    ])
      expect(
        groups.some((g) => g.code === c),
        c,
      ).toBe(true);
    const ldc = findOne(groups, { code: 'LDC' });
    expect(ldc.name_fr).toBe('Pays les moins avancés');
    expect(ldc.name_zh).toBe('最不发达国家');
  });
});

describe('memberships.csv', () => {
  it('has the header, known groups and geos, ISO dates and non-empty intervals', () => {
    expect(header(join(DATA, 'memberships.csv'))).toEqual([
      'group',
      'geo',
      'valid_from',
      'valid_to',
      'source',
    ]);
    const groupCodes = new Set(groups.map((g) => g.code));
    for (const m of memberships) {
      expect(groupCodes.has(m.group!), m.group).toBe(true);
      expect(geoCodes.has(m.geo!), m.geo).toBe(true);
      if (m.valid_from) expect(m.valid_from).toMatch(ISO_DATE);
      if (m.valid_to) expect(m.valid_to).toMatch(ISO_DATE);
      if (m.valid_from && m.valid_to) expect(m.valid_from < m.valid_to).toBe(true);
    }
  });

  it('puts every geo in WORLD', () => {
    expect(membersOn('WORLD', '2020-07-01')).toEqual([...geoCodes].sort());
  });

  it('dates LDC graduations', () => {
    expect(inGroup('LDC', 'VUT', '2019-07-01')).toBe(true);
    expect(inGroup('LDC', 'VUT', '2021-07-01')).toBe(false);
    expect(inGroup('LDC', 'BWA', '1990-07-01')).toBe(true);
    expect(inGroup('LDC', 'BWA', '1995-07-01')).toBe(false);
    expect(inGroup('LDC', 'BTN', '2022-07-01')).toBe(true);
    expect(inGroup('LDC', 'BTN', '2024-07-01')).toBe(false);
    expect(inGroup('LDC', 'STP', '2024-07-01')).toBe(true);
    expect(inGroup('LDC', 'STP', '2025-07-01')).toBe(false);
    expect(inGroup('LDC', 'SSD', '2010-07-01')).toBe(false);
    expect(inGroup('LDC', 'SSD', '2015-07-01')).toBe(true);
  });

  it('matches the M49 LDC flags of 2020 and of the current snapshot (except STP, graduated Dec 2024)', () => {
    const m49 = shared('classifications/m49_countries.csv');
    const flag2020 = m49.filter((r) => r.ldc_2020 === '1').map((r) => r.iso3!);
    expect(membersOn('LDC', '2020-07-01')).toEqual(flag2020.sort());
    const current = m49.filter((r) => r.ldc_current === '1' && r.iso3 !== 'STP').map((r) => r.iso3!);
    expect(membersOn('LDC', '2026-05-15')).toEqual(current.sort());
    expect(current.length).toBe(44);
  });

  it('gives every economy-year of the World Bank history exactly its income group', () => {
    const codes: Record<string, string> = { L: 'WB_L', LM: 'WB_LM', UM: 'WB_UM', H: 'WB_H' };
    const byGeo = new Map<string, Row[]>();
    for (const m of memberships)
      if (m.group!.startsWith('WB_')) byGeo.set(m.geo!, [...(byGeo.get(m.geo!) ?? []), m]);
    let checked = 0;
    for (const r of shared('classifications/wb_income_group_history.csv')) {
      if (!geoCodes.has(r.iso3!)) continue;
      const fy =
        2000 + Number(r.wb_fiscal_year!.slice(2)) - (Number(r.wb_fiscal_year!.slice(2)) >= 50 ? 100 : 0);
      const date = `${fy - 1}-10-01`; // inside the fiscal year (1 July fy-1 to 30 June fy)
      const hits = (byGeo.get(r.iso3!) ?? []).filter(
        (m) => (m.valid_from === '' || m.valid_from! <= date) && (m.valid_to === '' || date < m.valid_to!),
      );
      expect(
        hits.map((m) => m.group),
        `${r.iso3} ${r.wb_fiscal_year}`,
      ).toEqual([codes[r.income_group!]]);
      checked++;
    }
    expect(checked).toBeGreaterThan(7000);
    // Nigeria: low income in FY09, lower-middle from FY10 (2009-07-01).
    expect(inGroup('WB_L', 'NGA', '2008-07-01')).toBe(true);
    expect(inGroup('WB_LM', 'NGA', '2009-07-01')).toBe(true);
  });
});

describe('indicators.csv', () => {
  it('describes every indicator used, with valid direction, SDG codes and breakdowns', () => {
    expect(header(join(DATA, 'indicators.csv'))).toEqual([
      'code',
      'name_en',
      'unit',
      'direction',
      'sdg',
      'source',
      'licence',
      'definition',
      'breakdown_of',
      'sex',
      'area',
    ]);
    const used = new Set([...observations.values()].flatMap((rows) => rows.map((r) => r.indicator!)));
    expect([...indicatorCodes].sort()).toEqual([...used].sort());
    const sdgCodes = new Set(
      shared('sdg-names/sdg_names.csv')
        .filter((r) => r.kind === 'indicator')
        .map((r) => r.code),
    );
    for (const i of indicators) {
      expect(['1', '-1']).toContain(i.direction);
      for (const s of i.sdg ? i.sdg.split(';') : []) expect(sdgCodes.has(s), `${i.code} ${s}`).toBe(true);
      if (i.breakdown_of) expect(indicatorCodes.has(i.breakdown_of), i.code).toBe(true);
      expect(['', 'F', 'M']).toContain(i.sex);
      expect(['', 'U', 'R']).toContain(i.area);
      expect(i.name_en).not.toBe('');
      expect(i.licence).not.toBe('');
    }
    const fe = findOne(indicators, { code: 'IT.NET.USER.FE.ZS' });
    expect([fe.breakdown_of, fe.sex, fe.area]).toEqual(['IT.NET.USER.ZS', 'F', '']);
    const ma = findOne(indicators, { code: 'IT.NET.USER.MA.ZS' });
    expect([ma.breakdown_of, ma.sex, ma.area]).toEqual(['IT.NET.USER.ZS', 'M', '']);
    expect(findOne(indicators, { code: 'SP.URB.TOTL' }).area).toBe('U');
    expect(findOne(indicators, { code: 'SP.RUR.TOTL' }).area).toBe('R');
    expect(findOne(indicators, { code: 'IT.NET.USER.ZS' }).sdg).toBe('17.8.1');
    expect(findOne(indicators, { code: 'IT_USE_ii99' }).sdg).toBe('17.8.1');
    expect(findOne(indicators, { code: 'IT_MOB_4GNTWK' }).sdg).toBe('9.c.1');
    expect(findOne(indicators, { code: 'i271mw' }).sdg).toBe('');
    expect(findOne(indicators, { code: 'i271mb_2GB_GNI' }).direction).toBe('-1');
    expect(findOne(indicators, { code: 'i271mb_2GB_GNI' }).licence).toContain('NC');
  });
});

describe('SDG names', () => {
  it('are unchanged copies', () => {
    for (const f of ['sdg_names.csv', 'sdg_goal_short_names.csv'])
      expect(readFileSync(join(DATA, f), 'utf8')).toBe(readFileSync(join(SHARED, 'sdg-names', f), 'utf8'));
  });
});

describe('spot values against the original files', () => {
  const wdi = shared('gapminder-systema-globalis/wdi_ict_country_year.csv.gz');
  const wdiValue = (iso3: string, year: string, code: string): string =>
    findOne(wdi, { iso3, year, indicator_code: code }).value!;

  it('IT.NET.USER.ZS, India 2020', () => {
    const got = findOne(obs('wdi-ict-gapminder.csv.gz'), {
      indicator: 'IT.NET.USER.ZS',
      geo: 'IND',
      period: '2020',
    });
    expect(got.value).toBe(wdiValue('IND', '2020', 'IT.NET.USER.ZS'));
    expect(got.value).toBe('43.4054');
    expect([got.sex, got.area, got.flags]).toEqual(['_T', '_T', '']);
  });

  it('NY.GNP.PCAP.CD, Brazil 2015 and urban population (area U), India 2000', () => {
    const rows = obs('wdi-ict-gapminder.csv.gz');
    expect(findOne(rows, { indicator: 'NY.GNP.PCAP.CD', geo: 'BRA', period: '2015' }).value).toBe(
      wdiValue('BRA', '2015', 'NY.GNP.PCAP.CD'),
    );
    const urb = findOne(rows, { indicator: 'SP.URB.TOTL', geo: 'IND', period: '2000' });
    expect(urb.area).toBe('U');
    expect(urb.value).toBe(wdiValue('IND', '2000', 'SP.URB.TOTL'));
    expect(urb.value).toBe('292484329');
  });

  it('WPP female population, India 2020', () => {
    const src = findOne(shared('gapminder-systema-globalis/population_by_sex_wpp.csv.gz'), {
      iso3: 'IND',
      year: '2020',
      sex: 'female',
    });
    const got = findOne(obs('wpp-population-by-sex.csv.gz'), {
      indicator: 'WPP.POP',
      geo: 'IND',
      period: '2020',
      sex: 'F',
    });
    expect(got.value).toBe(src.population);
    expect(got.value).toBe('678442228');
  });

  it('Internet use by sex and R&D, Korea 2018', () => {
    const src = shared('open-numbers-wdi/wdi_innovation_and_internet_by_sex.csv');
    const rows = obs('wdi-innovation-internet-by-sex.csv.gz');
    for (const [code, sex] of [
      ['IT.NET.USER.FE.ZS', 'F'],
      ['IT.NET.USER.MA.ZS', 'M'],
      ['GB.XPD.RSDV.GD.ZS', '_T'],
      ['SP.POP.SCIE.RD.P6', '_T'],
    ] as const) {
      const got = findOne(rows, { indicator: code, geo: 'KOR', period: '2018' });
      expect(got.sex).toBe(sex);
      expect(got.value).toBe(findOne(src, { iso3: 'KOR', year: '2018', indicator_code: code }).value);
    }
    expect(findOne(rows, { indicator: 'IT.NET.USER.FE.ZS', geo: 'KOR', period: '2018' }).value).toBe(
      '94.8292',
    );
  });

  it('i271mw counts and the ITU-estimate flag', () => {
    const src = shared('itu-mobile-broadband/itu_active_mobile_broadband_subscriptions.csv');
    const rows = obs('itu-active-mobile-broadband.csv.gz');
    const afg = findOne(rows, { indicator: 'i271mw', geo: 'AFG', period: '2019' });
    expect(afg.value).toBe(findOne(src, { iso3: 'AFG', year: '2019' }).subscriptions);
    expect(afg.value).toBe('7309800');
    expect(afg.flags).toBe('');
    const est = findOne(src, { iso3: 'ABW', year: '2010' });
    expect(est.data_source).toBe('ITU estimate.');
    expect(findOne(rows, { indicator: 'i271mw', geo: 'ABW', period: '2010' }).flags).toBe('E');
    expect(rows.some((r) => r.geo === 'ANT' || r.geo === 'ASC')).toBe(false);
    expect(rows.length).toBe(src.length - 13);
  });

  it('price basket values, official and experimental', () => {
    const src = shared('itu-price-baskets/itu_price_baskets_long.csv');
    const rows = obs('itu-price-baskets.csv.gz');
    const off = findOne(rows, { indicator: 'i271mb_2GB_GNI', geo: 'AFG', period: '2024' });
    expect(off.value).toBe(findOne(src, { iso3: 'AFG', year: '2024', basket_code: 'i271mb_2GB_GNI' }).value);
    expect([off.value, off.flags]).toEqual(['8.44', '']);
    const exp = findOne(rows, { indicator: 'i271mb_2GB_GNI', geo: 'AFG', period: '2025' });
    expect(findOne(src, { iso3: 'AFG', year: '2025', basket_code: 'i271mb_2GB_GNI' }).status).toBe(
      'experimental',
    );
    expect([exp.value, exp.flags]).toEqual(['8.06', 'G']);
    expect(findOne(rows, { indicator: 'i154_FBB5$', geo: 'ABW', period: '2024' }).value).toBe('80.37');
  });

  it('SDG fixed broadband by speed tier and 4G coverage', () => {
    const src = shared('un-sdg-2020/sdg_ict_rd_country_year.csv.gz');
    const rows = obs('un-sdg-2020-ict-rd.csv.gz');
    for (const [tier, code] of [
      ['10mbps', 'IS_GE10M'],
      ['256kt2mbps', 'IS_256KT2M'],
      ['2mt10mbps', 'IS_2MT10M'],
      ['anys', '_T'],
    ]) {
      const want = findOne(src, {
        iso3: 'DEU',
        year: '2018',
        series_code: 'IT_NET_BBP',
        type_of_speed: tier!,
      });
      const got = findOne(rows, {
        indicator: 'IT_NET_BBP',
        geo: 'DEU',
        period: '2018',
        type_of_speed: code!,
      });
      expect(got.value).toBe(want.value);
    }
    expect(
      findOne(rows, { indicator: 'IT_NET_BBP', geo: 'DEU', period: '2018', type_of_speed: 'IS_GE10M' }).value,
    ).toBe('36.21');
    const g4 = findOne(rows, { indicator: 'IT_MOB_4GNTWK', geo: 'KEN', period: '2018' });
    expect(g4.value).toBe(findOne(src, { iso3: 'KEN', year: '2018', series_code: 'IT_MOB_4GNTWK' }).value);
    expect(g4.value).toBe('35');
    const own = findOne(rows, { indicator: 'IT_MOB_OWN', geo: 'KEN', period: '2015', sex: 'F' });
    expect(own.value).toBe('43.71383');
  });
});

describe('PROVENANCE.md', () => {
  const text = readFileSync(join(DATA, 'PROVENANCE.md'), 'utf8');

  it('documents every file in data/', () => {
    const files = [
      'geos.csv',
      'regions.csv',
      'groups.csv',
      'memberships.csv',
      'indicators.csv',
      'sdg_names.csv',
      'sdg_goal_short_names.csv',
      'manifest.json',
      ...manifest.datasets.map((d) => d.file),
    ];
    for (const f of files) expect(text, f).toContain(`\`${f}\``);
  });

  it('states the dropped rows that the files show', () => {
    const src = shared('itu-mobile-broadband/itu_active_mobile_broadband_subscriptions.csv');
    const dropped = src.length - obs('itu-active-mobile-broadband.csv.gz').length;
    expect(dropped).toBe(13);
    expect(text).toContain('| 13 (ANT 3, ASC 10) |');
    const wdi = shared('gapminder-systema-globalis/wdi_ict_country_year.csv.gz');
    expect(wdi.filter((r) => r.iso3 === 'XKX').length).toBe(
      wdi.length - obs('wdi-ict-gapminder.csv.gz').length,
    );
    expect(text).toContain('CC BY-NC-SA 3.0 IGO');
  });
});
