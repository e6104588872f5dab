/**
 * Builds the bundled default data in data/ from the shared source files in ../shared/data.
 *
 *   npx tsx scripts/curate-data.ts
 *
 * Values are copied from the source files as text; only the layout changes (wide/long → Pontis
 * tidy long CSV, source codes → SDMX codes for sex/area/flags). Nothing is imputed. The script
 * checks what it writes (duplicate keys, geo codes, indicator metadata, LDC membership against the
 * M49 flags) and stops with an error when a check fails. data/PROVENANCE.md is generated here too,
 * so that its row counts always match the files.
 *
 * Override the source folder with PONTIS_SHARED_DATA=/path/to/shared/data.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

type Row = Record<string, string>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(process.env.PONTIS_SHARED_DATA ?? join(ROOT, '../shared/data'));
const OUT = join(ROOT, 'data');
const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;

/** Date of the "current" M49 snapshot (datasets/country-codes commit caa72d1e…, 2026-05-15). */
const CURRENT_SNAPSHOT_DATE = '2026-05-15';

// ---------------------------------------------------------------------------------------------
// CSV helpers

function fail(message: string): never {
  throw new Error(`curate-data: ${message}`);
}

function readCsv(rel: string): Row[] {
  const path = join(SHARED, rel);
  let buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return parse(buf.toString('utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    if (r.length !== header.length)
      fail(`row has ${r.length} fields, header ${header.length}: ${r.join(',')}`);
    lines.push(r.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function writeText(rel: string, text: string): void {
  const path = join(OUT, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function writeCsv(rel: string, header: readonly string[], rows: readonly (readonly string[])[]): number {
  writeText(rel, csvText(header, rows));
  return rows.length;
}

function col(row: Row, name: string): string {
  const v = row[name];
  if (v === undefined) fail(`column ${name} missing in ${JSON.stringify(row)}`);
  return v;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Geographies

const countryNames = readCsv('country-names/country_names.csv');
const m49Countries = readCsv('classifications/m49_countries.csv');
const m49ByIso3 = new Map(m49Countries.map((r) => [col(r, 'iso3'), r]));

/**
 * TWN is not in the M49 overview (so not in country_names.csv) but has real data in WPP, ITU and
 * the UN SDG database (there as code 158 "Other non-specified areas in Eastern Asia", parent 030).
 * It is kept as a geo: m49/iso2/region codes from classifications/m49_countries.csv, English name
 * as written by ITU (its economy name in the ITU files), other languages left empty.
 */
const TWN = {
  m49: '158',
  iso3: 'TWN',
  iso2: 'TW',
  name_en: 'Taiwan, Province of China',
};

const GEO_HEADER = [
  'm49',
  'iso3',
  'iso2',
  'name_ar',
  'name_zh',
  'name_en',
  'name_fr',
  'name_ru',
  'name_es',
  'region_code',
  'subregion_code',
  'intermediate_region_code',
] as const;

const geoRows: string[][] = countryNames.map((r) => GEO_HEADER.map((h) => col(r, h)));
{
  const twn = m49ByIso3.get('TWN') ?? fail('TWN missing in m49_countries.csv');
  if (col(twn, 'm49') !== TWN.m49 || col(twn, 'iso2') !== TWN.iso2)
    fail('TWN codes changed in m49_countries');
  if (countryNames.some((r) => col(r, 'iso3') === 'TWN')) fail('TWN is now in country_names.csv: revisit');
  const pad = (s: string): string => (s === '' ? '' : s.padStart(3, '0'));
  geoRows.push([
    TWN.m49,
    TWN.iso3,
    TWN.iso2,
    '',
    '',
    TWN.name_en,
    '',
    '',
    '',
    pad(col(twn, 'region_code')),
    pad(col(twn, 'subregion_code')),
    pad(col(twn, 'intermediate_region_code')),
  ]);
}
geoRows.sort((a, b) => cmp(a[0]!, b[0]!));
const GEOS = new Set(geoRows.map((r) => r[1]!));
if (GEOS.size !== geoRows.length) fail('duplicate iso3 in geos');
// Same M49 <-> ISO3 pairs as the classifications file.
for (const r of countryNames) {
  const m = m49ByIso3.get(col(r, 'iso3'));
  if (!m || col(m, 'm49') !== col(r, 'm49')) fail(`M49/ISO3 mismatch for ${col(r, 'iso3')}`);
}

// ---------------------------------------------------------------------------------------------
// Regions

const regionNames = readCsv('country-names/m49_region_names.csv');
const regionParent = new Map<string, string>();
for (const g of geoRows) {
  const [region, sub, inter] = [g[9]!, g[10]!, g[11]!];
  const set = (child: string, parent: string): void => {
    if (child === '' || parent === '') return;
    const prev = regionParent.get(child);
    if (prev !== undefined && prev !== parent) fail(`region ${child} has two parents ${prev}, ${parent}`);
    regionParent.set(child, parent);
  };
  set(region, '001');
  set(sub, region);
  set(inter, sub);
}
const REGION_LEVELS: Record<string, string> = {
  world: 'world',
  region: 'm49-region',
  subregion: 'm49-subregion',
  intermediate_region: 'm49-intermediate',
};
const regionRows = regionNames.map((r) => {
  const level = col(r, 'level');
  if (!(level in REGION_LEVELS)) fail(`unknown region level ${level}`);
  return [
    col(r, 'm49'),
    level,
    level === 'world' ? '' : (regionParent.get(col(r, 'm49')) ?? fail(`no parent for ${col(r, 'm49')}`)),
    ...LANGS.map((l) => col(r, `name_${l}`)),
  ];
});
const regionCodes = new Set(regionRows.map((r) => r[0]!));
for (const g of geoRows)
  for (const c of [g[9]!, g[10]!, g[11]!])
    if (c !== '' && !regionCodes.has(c)) fail(`region code ${c} of ${g[1]} has no name`);

// ---------------------------------------------------------------------------------------------
// Groups

type Names = Record<(typeof LANGS)[number], string>;
const names = (ar: string, zh: string, en: string, fr: string, ru: string, es: string): Names => ({
  ar,
  zh,
  en,
  fr,
  ru,
  es,
});

/** Development-group names: the wording of the 2030 Agenda (A/RES/70/1) targets 9.a and 17.2. */
const SDG_TERMS = 'UN 2030 Agenda (A/RES/70/1) wording, targets 9.a / 17.2 in sdg_names.csv';
const WB_TERMS =
  'World Bank Group income classification; fr/es wording from the World Bank data blog (blogs.worldbank.org/fr, /es)';
const DEV_GROUPS: { code: string; names: Names; source: string; note: string }[] = [
  {
    code: 'LDC',
    names: names(
      'أقل البلدان نمواً',
      '最不发达国家',
      'Least developed countries',
      'Pays les moins avancés',
      'Наименее развитые страны',
      'Países menos adelantados',
    ),
    source: 'UN CDP / UN DESA list of LDCs; names: ' + SDG_TERMS,
    note: 'Membership with inclusion and graduation dates (see PROVENANCE.md)',
  },
  {
    code: 'LLDC',
    names: names(
      'البلدان النامية غير الساحلية',
      '内陆发展中国家',
      'Landlocked developing countries',
      'Pays en développement sans littoral',
      'Развивающиеся страны, не имеющие выхода к морю',
      'Países en desarrollo sin litoral',
    ),
    source: 'UNSD M49 (Oct 2020 flags); names: ' + SDG_TERMS,
    note: 'Open-ended membership from the 2020 M49 flags',
  },
  {
    code: 'SIDS',
    names: names(
      'الدول الجزرية الصغيرة النامية',
      '小岛屿发展中国家',
      'Small island developing States',
      'Petits États insulaires en développement',
      'Малые островные развивающиеся государства',
      'Pequeños Estados insulares en desarrollo',
    ),
    source: 'UNSD M49 (Oct 2020 flags); names: ' + SDG_TERMS,
    note: 'Open-ended membership from the 2020 M49 flags',
  },
  {
    code: 'DEVELOPED',
    names: names(
      'البلدان المتقدمة النمو',
      '发达国家',
      'Developed countries',
      'Pays développés',
      'Развитые страны',
      'Países desarrollados',
    ),
    source: 'UNSD M49 "Developed / Developing Countries" column (Oct 2020); names: ' + SDG_TERMS,
    note: 'The 2020 M49 split; UNSD discontinued it in 2021/22. Open-ended.',
  },
  {
    code: 'DEVELOPING',
    names: names(
      'البلدان النامية',
      '发展中国家',
      'Developing countries',
      'Pays en développement',
      'Развивающиеся страны',
      'Países en desarrollo',
    ),
    source: 'UNSD M49 "Developed / Developing Countries" column (Oct 2020); names: ' + SDG_TERMS,
    note: 'The 2020 M49 split; UNSD discontinued it in 2021/22. Open-ended.',
  },
];
const INCOME_GROUPS: { code: string; wb: string; names: Names }[] = [
  { code: 'WB_L', wb: 'L', names: names('', '', 'Low income', 'Faible revenu', '', 'Ingreso bajo') },
  {
    code: 'WB_LM',
    wb: 'LM',
    names: names(
      '',
      '',
      'Lower middle income',
      'Revenu intermédiaire de la tranche inférieure',
      '',
      'Ingreso mediano bajo',
    ),
  },
  {
    code: 'WB_UM',
    wb: 'UM',
    names: names(
      '',
      '',
      'Upper middle income',
      'Revenu intermédiaire de la tranche supérieure',
      '',
      'Ingreso mediano alto',
    ),
  },
  { code: 'WB_H', wb: 'H', names: names('', '', 'High income', 'Revenu élevé', '', 'Ingreso alto') },
];

const GROUP_HEADER = ['code', 'kind', ...LANGS.map((l) => `name_${l}`), 'source', 'note'] as const;
const groupRows: string[][] = [];
for (const r of regionRows) {
  const [m49, level] = [r[0]!, r[1]!];
  const nm = r.slice(3);
  if (level === 'world')
    groupRows.push(['WORLD', 'world', ...nm, 'UNSD M49 (001 World)', 'Every geo in geos.csv']);
  else groupRows.push([`M49_${m49}`, REGION_LEVELS[level]!, ...nm, 'UNSD M49 geoscheme', '']);
}
for (const g of DEV_GROUPS)
  groupRows.push([g.code, 'development', ...LANGS.map((l) => g.names[l]), g.source, g.note]);
for (const g of INCOME_GROUPS)
  groupRows.push([
    g.code,
    'income',
    ...LANGS.map((l) => g.names[l]),
    WB_TERMS,
    'By World Bank fiscal year: FYxx valid from (20xx-1)-07-01 to 20xx-07-01; no official ar/zh/ru names found',
  ]);
const GROUP_CODES = new Set(groupRows.map((r) => r[0]!));

// ---------------------------------------------------------------------------------------------
// Memberships

interface Membership {
  group: string;
  geo: string;
  from: string;
  to: string;
  source: string;
}
const memberships: Membership[] = [];
const M49_SOURCE = 'UNSD M49 overview, Oct 2025 (country-names)';
for (const g of geoRows) {
  const iso3 = g[1]!;
  const src =
    iso3 === 'TWN' ? 'not in M49; region codes from datasets/country-codes and SDG CL_AREA 158' : M49_SOURCE;
  memberships.push({ group: 'WORLD', geo: iso3, from: '', to: '', source: 'all geos' });
  for (const c of [g[9]!, g[10]!, g[11]!])
    if (c !== '') memberships.push({ group: `M49_${c}`, geo: iso3, from: '', to: '', source: src });
}

/**
 * LDC inclusion years: UN DESA "Creation of the LDC category and timeline of changes to LDC
 * membership" (policy.desa.un.org). The first list: GA resolution 2768 (XXVI) of 18 Nov 1971.
 * Other inclusions are published as a year only: valid_from is set to 1 January of that year.
 */
const LDC_INCLUDED: Record<string, string[]> = {
  '1971': [
    'AFG',
    'BEN',
    'BTN',
    'BWA',
    'BFA',
    'BDI',
    'TCD',
    'ETH',
    'GIN',
    'HTI',
    'LAO',
    'LSO',
    'MWI',
    'MDV',
    'MLI',
    'NPL',
    'NER',
    'RWA',
    'WSM',
    'SOM',
    'SDN',
    'UGA',
    'TZA',
    'YEM',
  ],
  '1975': ['BGD', 'CAF', 'GMB'],
  '1977': ['CPV', 'COM'],
  '1981': ['GNB'],
  '1982': ['DJI', 'GNQ', 'STP', 'SLE', 'TGO'],
  '1985': ['VUT'],
  '1986': ['KIR', 'MRT', 'TUV'],
  '1987': ['MMR'],
  '1988': ['MOZ'],
  '1990': ['LBR'],
  '1991': ['KHM', 'COD', 'MDG', 'SLB', 'ZMB'],
  '1994': ['AGO', 'ERI'],
  '2000': ['SEN'],
  '2003': ['TLS'],
  '2012': ['SSD'],
};
/** Graduations (valid_to, exclusive) and where the date was found. */
const LDC_GRADUATED: Record<string, { date: string; precision: 'day' | 'month'; source: string }> = {
  BWA: {
    date: '1994-12-01',
    precision: 'month',
    source: 'December 1994 (month only; UN DESA timeline 1994, UNCTAD LDC Report 2016)',
  },
  CPV: {
    date: '2007-12-20',
    precision: 'day',
    source:
      '20 Dec 2007 = end of the 3-year grace period of GA res. 59/210 of 20 Dec 2004 (UNCTAD LDC Report 2016)',
  },
  MDV: {
    date: '2011-01-01',
    precision: 'day',
    source: '1 Jan 2011 (Maldives MFA; UNCTAD via IISD SDG Knowledge Hub)',
  },
  WSM: {
    date: '2014-01-01',
    precision: 'month',
    source: 'January 2014 (month only; UN-OHRLLS via IISD SDG Knowledge Hub, 2012)',
  },
  GNQ: { date: '2017-06-04', precision: 'day', source: '4 Jun 2017 (UN-OHRLLS news)' },
  VUT: { date: '2020-12-04', precision: 'day', source: '4 Dec 2020 (UN DESA CDP news; UN-OHRLLS news)' },
  BTN: { date: '2023-12-13', precision: 'day', source: '13 Dec 2023 (UN DESA news; Bhutan MFA)' },
  STP: { date: '2024-12-13', precision: 'day', source: '13 Dec 2024 (UN DESA CDP news; UN-OHRLLS)' },
};
const LDC_TIMELINE = 'UN DESA LDC timeline (policy.desa.un.org)';
/**
 * Inclusion dates more precise than the timeline year, where a UN text gives them. Keyed by timeline
 * year (all countries of that year) or by ISO3 (one country). Otherwise 1 January of the year.
 */
const LDC_INCLUSION_DATES: Record<string, { date: string; text: string }> = {
  '1971': { date: '1971-11-18', text: 'included 18 Nov 1971 (GA res. 2768 (XXVI))' },
  '1975': {
    date: '1975-12-12',
    text: 'included 12 Dec 1975 (GA res. 3487 (XXX), as recalled in ECOSOC res. of 27 Jul 1982)',
  },
  '1977': {
    date: '1977-12-13',
    text: 'included 13 Dec 1977 (GA res. 32/92 and 32/99, as recalled in ECOSOC res. of 27 Jul 1982)',
  },
  '1981': {
    date: '1981-05-08',
    text: 'included 8 May 1981 (ECOSOC res. 1981/34, as recalled in ECOSOC res. of 27 Jul 1982)',
  },
  SEN: {
    date: '2001-04-01',
    text: 'included April 2001 (month only; UN News: added by the General Assembly in April 2001; the timeline lists 2000)',
  },
};
const ldcInclusion = (year: string, iso3: string): { date: string; text: string; precision: string } => {
  const exact = LDC_INCLUSION_DATES[iso3] ?? LDC_INCLUSION_DATES[year];
  if (exact) return { ...exact, precision: iso3 === 'SEN' ? 'month' : 'day' };
  return {
    date: `${year}-01-01`,
    text: `included ${year} (year only; date set to 1 Jan)`,
    precision: 'year',
  };
};
{
  const seen = new Set<string>();
  for (const [year, list] of Object.entries(LDC_INCLUDED))
    for (const iso3 of list) {
      if (seen.has(iso3)) fail(`LDC ${iso3} included twice`);
      seen.add(iso3);
      if (!GEOS.has(iso3)) fail(`LDC ${iso3} not in geos`);
      const inc = ldcInclusion(year, iso3);
      const grad = LDC_GRADUATED[iso3];
      memberships.push({
        group: 'LDC',
        geo: iso3,
        from: inc.date,
        to: grad?.date ?? '',
        source: `${LDC_TIMELINE}: ${inc.text}${grad ? `; graduated ${grad.source}` : ''}`,
      });
    }
  if (seen.size !== 52) fail(`expected 52 countries ever on the LDC list, got ${seen.size}`);
  for (const iso3 of Object.keys(LDC_GRADUATED))
    if (!seen.has(iso3)) fail(`graduated ${iso3} never included`);
}

for (const r of m49Countries) {
  const iso3 = col(r, 'iso3');
  if (!GEOS.has(iso3)) fail(`${iso3} of m49_countries not in geos`);
  const src2020 = 'UNSD M49 flags as of Oct 2020 (datasets/country-codes 4b783b02)';
  if (col(r, 'lldc_2020') === '1')
    memberships.push({ group: 'LLDC', geo: iso3, from: '', to: '', source: src2020 });
  if (col(r, 'sids_2020') === '1')
    memberships.push({ group: 'SIDS', geo: iso3, from: '', to: '', source: src2020 });
  const dev = col(r, 'm49_dev_status_2020');
  if (dev === 'Developed' || dev === 'Developing')
    memberships.push({ group: dev.toUpperCase(), geo: iso3, from: '', to: '', source: src2020 });
  else if (dev !== '') fail(`unknown dev status ${dev}`);
}

// World Bank income groups by fiscal year, merged into runs.
const wbHistory = readCsv('classifications/wb_income_group_history.csv');
const wbDropped = new Map<string, number>();
{
  const byGeo = new Map<string, { fy: number; group: string }[]>();
  const codeOf = new Map(INCOME_GROUPS.map((g) => [g.wb, g.code]));
  for (const r of wbHistory) {
    const iso3 = col(r, 'iso3');
    if (!GEOS.has(iso3)) {
      wbDropped.set(iso3, (wbDropped.get(iso3) ?? 0) + 1);
      continue;
    }
    const m =
      /^FY(\d\d)$/.exec(col(r, 'wb_fiscal_year')) ?? fail(`bad fiscal year ${col(r, 'wb_fiscal_year')}`);
    const yy = Number(m[1]);
    const fy = yy >= 50 ? 1900 + yy : 2000 + yy;
    if (Number(col(r, 'gni_data_year')) !== fy - 2) fail(`FY/GNI year mismatch ${JSON.stringify(r)}`);
    const group =
      codeOf.get(col(r, 'income_group')) ?? fail(`unknown income group ${col(r, 'income_group')}`);
    const list = byGeo.get(iso3) ?? [];
    list.push({ fy, group });
    byGeo.set(iso3, list);
  }
  for (const [iso3, list] of byGeo) {
    list.sort((a, b) => a.fy - b.fy);
    let start = list[0]!;
    let prev = start;
    const flush = (): void => {
      memberships.push({
        group: start.group,
        geo: iso3,
        from: `${start.fy - 1}-07-01`,
        to: `${prev.fy}-07-01`,
        source: `World Bank OGHIST, FY${String(start.fy % 100).padStart(2, '0')}-FY${String(prev.fy % 100).padStart(2, '0')}`,
      });
    };
    for (const cur of list.slice(1)) {
      if (cur.fy === prev.fy) fail(`two income groups for ${iso3} FY${cur.fy}`);
      if (cur.fy === prev.fy + 1 && cur.group === start.group) {
        prev = cur;
        continue;
      }
      flush();
      start = cur;
      prev = cur;
    }
    flush();
  }
}

for (const m of memberships) {
  if (!GROUP_CODES.has(m.group)) fail(`membership of unknown group ${m.group}`);
  if (!GEOS.has(m.geo)) fail(`membership of unknown geo ${m.geo}`);
  if (m.from !== '' && m.to !== '' && !(m.from < m.to)) fail(`empty interval ${JSON.stringify(m)}`);
}
memberships.sort((a, b) => cmp(a.group, b.group) || cmp(a.geo, b.geo) || cmp(a.from, b.from));

function membersOn(group: string, date: string): Set<string> {
  const out = new Set<string>();
  for (const m of memberships)
    if (m.group === group && (m.from === '' || m.from <= date) && (m.to === '' || date < m.to))
      out.add(m.geo);
  return out;
}
function setDiff(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}
function assertSameSet(label: string, got: Set<string>, want: Set<string>): void {
  const extra = setDiff(got, want);
  const missing = setDiff(want, got);
  if (extra.length || missing.length)
    fail(`${label}: extra ${extra.join(' ')}; missing ${missing.join(' ')}`);
}
// Overlapping intervals within one group would count a geo twice.
{
  const byKey = new Map<string, Membership[]>();
  for (const m of memberships) {
    const k = `${m.group}|${m.geo}`;
    byKey.set(k, [...(byKey.get(k) ?? []), m]);
  }
  for (const [k, list] of byKey)
    for (let i = 1; i < list.length; i++)
      if (list[i - 1]!.to === '' || list[i]!.from === '' || list[i]!.from < list[i - 1]!.to)
        fail(`overlapping memberships ${k}`);
  // A geo is in at most one income group on any date: checked by construction (one group per FY).
}

// LDC cross-checks against the M49 flags.
const ldc2020 = new Set(m49Countries.filter((r) => col(r, 'ldc_2020') === '1').map((r) => col(r, 'iso3')));
const ldcCurrentFlag = new Set(
  m49Countries.filter((r) => col(r, 'ldc_current') === '1').map((r) => col(r, 'iso3')),
);
if (ldc2020.size !== 47) fail(`expected 47 LDCs in 2020 flags, got ${ldc2020.size}`);
if (ldcCurrentFlag.size !== 45) fail(`expected 45 LDCs in current flags, got ${ldcCurrentFlag.size}`);
assertSameSet('LDC on 2020-07-01 vs ldc_2020', membersOn('LDC', '2020-07-01'), ldc2020);
/** Documented difference: STP graduated 2024-12-13 but is still flagged in the 2026 M49 snapshot. */
const LDC_CURRENT_KNOWN_DIFF = ['STP'];
assertSameSet(
  `LDC on ${CURRENT_SNAPSHOT_DATE} vs ldc_current minus ${LDC_CURRENT_KNOWN_DIFF.join(',')}`,
  membersOn('LDC', CURRENT_SNAPSHOT_DATE),
  new Set([...ldcCurrentFlag].filter((x) => !LDC_CURRENT_KNOWN_DIFF.includes(x))),
);
if (membersOn('LDC', CURRENT_SNAPSHOT_DATE).size !== 44) fail('expected 44 LDCs after STP graduation');

// ---------------------------------------------------------------------------------------------
// Observations

const OBS_HEADER = ['indicator', 'geo', 'period', 'sex', 'area', 'value', 'flags'] as const;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const FLAGS = new Set(['', 'E', 'G']);

interface Obs {
  indicator: string;
  geo: string;
  period: string;
  sex: string;
  area: string;
  value: string;
  flags: string;
  extra?: string[];
}
interface ObsFileStats {
  file: string;
  rowsIn: number;
  rows: number;
  dropped: Map<string, number>;
  byIndicator: Map<string, number>;
  flagged: Map<string, number>;
  geos: number;
  years: [string, string];
}
const obsStats: ObsFileStats[] = [];
const obsIndicators = new Set<string>();

function writeObservations(file: string, input: Obs[], extraCols: string[] = []): ObsFileStats {
  const dropped = new Map<string, number>();
  const rows: Obs[] = [];
  for (const o of input) {
    if (!GEOS.has(o.geo)) {
      dropped.set(o.geo, (dropped.get(o.geo) ?? 0) + 1);
      continue;
    }
    if (!/^\d{4}$/.test(o.period)) fail(`${file}: bad period ${o.period}`);
    if (!['F', 'M', '_T'].includes(o.sex)) fail(`${file}: bad sex ${o.sex}`);
    if (!['U', 'R', '_T'].includes(o.area)) fail(`${file}: bad area ${o.area}`);
    if (!NUMBER.test(o.value) || !Number.isFinite(Number(o.value))) fail(`${file}: bad value "${o.value}"`);
    if (!FLAGS.has(o.flags)) fail(`${file}: bad flags ${o.flags}`);
    if ((o.extra?.length ?? 0) !== extraCols.length) fail(`${file}: extra columns mismatch`);
    rows.push(o);
  }
  const key = (o: Obs): string[] => [o.indicator, o.geo, o.period, o.sex, o.area, ...(o.extra ?? [])];
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const c = cmp(ka[i]!, kb[i]!);
      if (c) return c;
    }
    return 0;
  });
  const seen = new Set<string>();
  for (const o of rows) {
    const k = key(o).join('\u0000');
    if (seen.has(k)) fail(`${file}: duplicate key ${key(o).join(',')}`);
    seen.add(k);
  }
  const text = csvText(
    [...OBS_HEADER, ...extraCols],
    rows.map((o) => [o.indicator, o.geo, o.period, o.sex, o.area, o.value, o.flags, ...(o.extra ?? [])]),
  );
  const path = join(OUT, 'observations', file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
  const byIndicator = new Map<string, number>();
  const flagged = new Map<string, number>();
  const years = rows.map((o) => o.period).sort();
  for (const o of rows) {
    byIndicator.set(o.indicator, (byIndicator.get(o.indicator) ?? 0) + 1);
    if (o.flags) flagged.set(o.flags, (flagged.get(o.flags) ?? 0) + 1);
    obsIndicators.add(o.indicator);
  }
  const stats: ObsFileStats = {
    file: `observations/${file}`,
    rowsIn: input.length,
    rows: rows.length,
    dropped,
    byIndicator,
    flagged,
    geos: new Set(rows.map((o) => o.geo)).size,
    years: [years[0] ?? '', years.at(-1) ?? ''],
  };
  obsStats.push(stats);
  return stats;
}

const SEX_WORDS: Record<string, string> = { total: '_T', bothsex: '_T', female: 'F', male: 'M' };
const sexCode = (s: string): string => SEX_WORDS[s] ?? fail(`unknown sex ${s}`);

// 1. WDI ICT, GNI, population via Gapminder Systema Globalis.
const AREA_OF: Record<string, string> = { 'SP.URB.TOTL': 'U', 'SP.RUR.TOTL': 'R' };
const wdiIct = readCsv('gapminder-systema-globalis/wdi_ict_country_year.csv.gz');
{
  // SP.POP.TOTL in the shared file is urban + rural (WDI's own identity); check it before copying.
  const idx = new Map(
    wdiIct.map((r) => [`${col(r, 'iso3')}|${col(r, 'year')}|${col(r, 'indicator_code')}`, r]),
  );
  for (const r of wdiIct) {
    if (col(r, 'indicator_code') !== 'SP.POP.TOTL') continue;
    const k = `${col(r, 'iso3')}|${col(r, 'year')}`;
    const u = idx.get(`${k}|SP.URB.TOTL`);
    const ru = idx.get(`${k}|SP.RUR.TOTL`);
    if (
      !u ||
      !ru ||
      Math.abs(Number(col(u, 'value')) + Number(col(ru, 'value')) - Number(col(r, 'value'))) > 0.5
    )
      fail(`SP.POP.TOTL is not urban + rural for ${k}`);
  }
}
writeObservations(
  'wdi-ict-gapminder.csv.gz',
  wdiIct.map((r) => ({
    indicator: col(r, 'indicator_code'),
    geo: col(r, 'iso3'),
    period: col(r, 'year'),
    sex: '_T',
    area: AREA_OF[col(r, 'indicator_code')] ?? '_T',
    value: col(r, 'value'),
    flags: '',
  })),
);

// 2. UN WPP population by sex via Gapminder.
const wpp = readCsv('gapminder-systema-globalis/population_by_sex_wpp.csv.gz');
writeObservations(
  'wpp-population-by-sex.csv.gz',
  wpp.map((r) => ({
    indicator: 'WPP.POP',
    geo: col(r, 'iso3'),
    period: col(r, 'year'),
    sex: sexCode(col(r, 'sex')),
    area: '_T',
    value: col(r, 'population'),
    flags: '',
  })),
);

// 3. WDI R&D, researchers, Internet use by sex via open-numbers.
const SEX_OF_CODE: Record<string, string> = { 'IT.NET.USER.FE.ZS': 'F', 'IT.NET.USER.MA.ZS': 'M' };
const onWdi = readCsv('open-numbers-wdi/wdi_innovation_and_internet_by_sex.csv');
writeObservations(
  'wdi-innovation-internet-by-sex.csv.gz',
  onWdi.map((r) => {
    const code = col(r, 'indicator_code');
    const sex = sexCode(col(r, 'sex'));
    if ((SEX_OF_CODE[code] ?? '_T') !== sex) fail(`sex ${sex} does not match code ${code}`);
    return {
      indicator: code,
      geo: col(r, 'iso3'),
      period: col(r, 'year'),
      sex,
      area: '_T',
      value: col(r, 'value'),
      flags: '',
    };
  }),
);

// 4. ITU active mobile-broadband subscriptions (counts only; the derived per-100 column is not copied).
const ESTIMATE = /estimat/i;
const ituAmb = readCsv('itu-mobile-broadband/itu_active_mobile_broadband_subscriptions.csv');
writeObservations(
  'itu-active-mobile-broadband.csv.gz',
  ituAmb.map((r) => {
    if (col(r, 'indicator_code') !== 'i271mw') fail(`unexpected ITU code ${col(r, 'indicator_code')}`);
    return {
      indicator: 'i271mw',
      geo: col(r, 'iso3'),
      period: col(r, 'year'),
      sex: '_T',
      area: '_T',
      value: col(r, 'subscriptions'),
      flags: ESTIMATE.test(col(r, 'data_source')) || ESTIMATE.test(col(r, 'data_note')) ? 'E' : '',
    };
  }),
);

// 5. ITU ICT price baskets (long). Experimental collections get SDMX OBS_STATUS G.
const PRICE_UNITS: Record<string, string> = {
  _GNI: 'pct_monthly_gni_pc',
  $: 'usd_per_month',
  _PPP: 'ppp_usd_per_month',
};
const priceLong = readCsv('itu-price-baskets/itu_price_baskets_long.csv');
writeObservations(
  'itu-price-baskets.csv.gz',
  priceLong.map((r) => {
    const code = col(r, 'basket_code');
    const suffix = Object.keys(PRICE_UNITS).find((s) => code.endsWith(s)) ?? fail(`basket code ${code}`);
    if (PRICE_UNITS[suffix] !== col(r, 'unit')) fail(`unit ${col(r, 'unit')} does not match ${code}`);
    const status = col(r, 'status');
    if (status !== 'official' && status !== 'experimental') fail(`unknown status ${status}`);
    return {
      indicator: code,
      geo: col(r, 'iso3'),
      period: col(r, 'year'),
      sex: '_T',
      area: '_T',
      value: col(r, 'value'),
      flags: status === 'experimental' ? 'G' : '',
    };
  }),
);

// 6. UN SDG Global Database, Oct 2020 vintage.
/** type_of_speed -> SDG DSD 1.4 COMPOSITE_BREAKDOWN codes; `_T` = all speeds / not broken down. */
const SPEED: Record<string, string> = {
  '': '_T',
  anys: '_T',
  '256kt2mbps': 'IS_256KT2M',
  '2mt10mbps': 'IS_2MT10M',
  '10mbps': 'IS_GE10M',
};
/** SDG NATURE -> flags. Only `c` and `notspec` occur in this file; the rest is for future vintages. */
const NATURE: Record<string, string> = { c: '', ca: '', notspec: '', g: '', e: 'E', m: 'E' };
const sdg = readCsv('un-sdg-2020/sdg_ict_rd_country_year.csv.gz');
const sdgNatures = new Map<string, number>();
writeObservations(
  'un-sdg-2020-ict-rd.csv.gz',
  sdg.map((r) => {
    const nature = col(r, 'nature');
    sdgNatures.set(nature, (sdgNatures.get(nature) ?? 0) + 1);
    const flags = NATURE[nature.toLowerCase()] ?? fail(`unknown SDG nature ${nature}`);
    const speed = SPEED[col(r, 'type_of_speed')] ?? fail(`unknown speed ${col(r, 'type_of_speed')}`);
    return {
      indicator: col(r, 'series_code'),
      geo: col(r, 'iso3'),
      period: col(r, 'year'),
      sex: sexCode(col(r, 'sex')),
      area: '_T',
      value: col(r, 'value'),
      flags,
      extra: [speed],
    };
  }),
  ['type_of_speed'],
);

// ---------------------------------------------------------------------------------------------
// Indicators

const seriesIndicators = readCsv('sdg-series/series_indicators.csv');
const seriesByCode = new Map(seriesIndicators.map((r) => [col(r, 'series').toUpperCase(), r]));
const sdgNames = readCsv('sdg-names/sdg_names.csv');
const sdgIndicatorCodes = new Set(
  sdgNames.filter((r) => col(r, 'kind') === 'indicator').map((r) => col(r, 'code')),
);

interface IndicatorMeta {
  code: string;
  name: string;
  unit: string;
  direction: 1 | -1;
  sdg: string[];
  source: string;
  licence: string;
  definition: string;
  breakdownOf?: string;
  sex?: string;
  area?: string;
}
const WDI_SRC = 'World Bank WDI via Gapminder Systema Globalis';
const WDI_ON_SRC = 'World Bank WDI via open-numbers';
const ITU_ORIGIN = 'ITU World Telecommunication/ICT Indicators database';
const CC_BY = 'CC BY 4.0';
const indicatorMeta: IndicatorMeta[] = [
  {
    code: 'IT.NET.USER.ZS',
    name: 'Individuals using the Internet (% of population)',
    unit: 'percent',
    direction: 1,
    sdg: ['17.8.1'],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition: 'Share of the population that used the Internet from any location in the last 3 months.',
  },
  {
    code: 'IT.CEL.SETS',
    name: 'Mobile cellular subscriptions',
    unit: 'number',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition: 'Subscriptions to a public mobile telephone service (postpaid and active prepaid), count.',
  },
  {
    code: 'IT.CEL.SETS.P2',
    name: 'Mobile cellular subscriptions (per 100 people)',
    unit: 'per 100 people',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition: 'Mobile cellular subscriptions per 100 inhabitants, as published by WDI.',
  },
  {
    code: 'IT.NET.BBND',
    name: 'Fixed broadband subscriptions',
    unit: 'number',
    direction: 1,
    sdg: ['17.6.1'],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition:
      'Fixed subscriptions to high-speed access to the public Internet (256 kbit/s or more), count.',
  },
  {
    code: 'IT.NET.BBND.P2',
    name: 'Fixed broadband subscriptions (per 100 people)',
    unit: 'per 100 people',
    direction: 1,
    sdg: ['17.6.1'],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition: 'Fixed broadband subscriptions per 100 inhabitants, as published by WDI.',
  },
  {
    code: 'IT.MLT.MAIN.P2',
    name: 'Fixed telephone subscriptions (per 100 people)',
    unit: 'per 100 people',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (${ITU_ORIGIN})`,
    licence: CC_BY,
    definition: 'Fixed telephone lines per 100 inhabitants, as published by WDI.',
  },
  {
    code: 'NY.GNP.PCAP.CD',
    name: 'GNI per capita, Atlas method (current US$)',
    unit: 'current US$',
    direction: 1,
    sdg: [],
    source: WDI_SRC,
    licence: CC_BY,
    definition: 'Gross national income per person, converted with the World Bank Atlas method.',
  },
  {
    code: 'NY.GNP.PCAP.PP.CD',
    name: 'GNI per capita, PPP (current international $)',
    unit: 'current international $',
    direction: 1,
    sdg: [],
    source: WDI_SRC,
    licence: CC_BY,
    definition: 'Gross national income per person, converted at purchasing power parity.',
  },
  {
    code: 'NY.GNP.PCAP.KD',
    name: 'GNI per capita (constant 2015 US$)',
    unit: 'constant 2015 US$',
    direction: 1,
    sdg: [],
    source: WDI_SRC,
    licence: CC_BY,
    definition: 'Gross national income per person in constant 2015 US dollars.',
  },
  {
    code: 'SP.POP.TOTL',
    name: 'Population, total',
    unit: 'persons',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (UN WPP)`,
    licence: CC_BY,
    definition:
      'Total population (de facto). In this bundle: urban + rural population as computed in the shared copy (WDI defines rural = total - urban). Direction has no meaning for a population count.',
  },
  {
    code: 'SP.URB.TOTL',
    name: 'Urban population',
    unit: 'persons',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (UN World Urbanization Prospects)`,
    licence: CC_BY,
    definition: 'People living in urban areas as defined by national statistical offices.',
    breakdownOf: 'SP.POP.TOTL',
    area: 'U',
  },
  {
    code: 'SP.RUR.TOTL',
    name: 'Rural population',
    unit: 'persons',
    direction: 1,
    sdg: [],
    source: `${WDI_SRC} (UN World Urbanization Prospects)`,
    licence: CC_BY,
    definition: 'People living in rural areas (total population minus urban population).',
    breakdownOf: 'SP.POP.TOTL',
    area: 'R',
  },
  {
    code: 'WPP.POP',
    name: 'Population by sex (UN World Population Prospects, with medium-variant projections)',
    unit: 'persons',
    direction: 1,
    sdg: [],
    source: 'UN DESA Population Division, World Population Prospects, via Gapminder Systema Globalis',
    licence: 'CC BY 3.0 IGO',
    definition:
      'De facto population on 1 July by sex (F, M); _T = F + M as computed in the shared copy. Years after the WPP estimate period are medium-variant projections. Pontis code: WPP has no series code of its own.',
  },
  {
    code: 'IT.NET.USER.FE.ZS',
    name: 'Individuals using the Internet, female (% of female population)',
    unit: 'percent',
    direction: 1,
    sdg: ['17.8.1'],
    source: `${WDI_ON_SRC} (ITU household surveys)`,
    licence: CC_BY,
    definition:
      'Share of women who used the Internet in the last 3 months (survey-based; no ITU imputation).',
    breakdownOf: 'IT.NET.USER.ZS',
    sex: 'F',
  },
  {
    code: 'IT.NET.USER.MA.ZS',
    name: 'Individuals using the Internet, male (% of male population)',
    unit: 'percent',
    direction: 1,
    sdg: ['17.8.1'],
    source: `${WDI_ON_SRC} (ITU household surveys)`,
    licence: CC_BY,
    definition: 'Share of men who used the Internet in the last 3 months (survey-based; no ITU imputation).',
    breakdownOf: 'IT.NET.USER.ZS',
    sex: 'M',
  },
  {
    code: 'GB.XPD.RSDV.GD.ZS',
    name: 'Research and development expenditure (% of GDP)',
    unit: 'percent of GDP',
    direction: 1,
    sdg: ['9.5.1'],
    source: `${WDI_ON_SRC} (UNESCO Institute for Statistics)`,
    licence: CC_BY,
    definition:
      'Gross domestic expenditure on research and experimental development (GERD) as a share of GDP.',
  },
  {
    code: 'SP.POP.SCIE.RD.P6',
    name: 'Researchers in R&D (per million people)',
    unit: 'per million people',
    direction: 1,
    sdg: ['9.5.2'],
    source: `${WDI_ON_SRC} (UNESCO Institute for Statistics)`,
    licence: CC_BY,
    definition: 'Researchers engaged in R&D (full-time equivalent) per million inhabitants.',
  },
  {
    code: 'i271mw',
    name: 'Active mobile-broadband subscriptions',
    unit: 'number',
    direction: 1,
    sdg: [],
    source: `ITU DataHub export (March 2024), ${ITU_ORIGIN}`,
    licence: 'ITU terms of use (attribution to ITU)',
    definition:
      'Standard and dedicated mobile-broadband subscriptions (handset and dongle) used in the last 3 months, count. Pontis computes per-100 ratios itself.',
  },
];
const BASKETS: Record<string, string> = {
  i271mb_2GB: 'Data-only mobile-broadband basket (at least 2 GB)',
  i271mb_5GB: 'Data-only mobile-broadband basket (at least 5 GB)',
  i154_FBB5: 'Fixed-broadband basket (at least 5 GB)',
};
const PRICE_KIND: Record<string, [string, string]> = {
  _GNI: ['price as % of monthly GNI per capita', 'percent of monthly GNI per capita'],
  $: ['price in US$ per month', 'US$ per month'],
  _PPP: ['price in PPP$ per month', 'PPP$ per month'],
};
for (const [stem, basket] of Object.entries(BASKETS))
  for (const [suffix, [what, unit]] of Object.entries(PRICE_KIND))
    indicatorMeta.push({
      code: `${stem}${suffix}`,
      name: `${basket}, ${what}`,
      unit,
      direction: -1,
      sdg: [],
      source: 'ITU ICT Price Baskets, Dec 2025 release (ITU_ICTPriceBaskets_2008-2025.xlsx)',
      licence: 'CC BY-NC-SA 3.0 IGO (non-commercial)',
      definition: `ITU ICT price basket ${stem}: ${what}. Flag G marks the 2025 experimental collection of the 2 GB mobile basket. Lower is more affordable (Broadband Commission target: entry-level broadband below 2 % of monthly GNI p.c.).`,
    });
/** SDG series codes in the 2020 vintage that were renamed in the SDG DSD 1.4 series list. */
const SDG_SERIES_RENAMED: Record<string, string> = { IT_NET_BBP: 'IT_NET_BBND', IT_NET_BBN: 'IT_NET_BBNDN' };
/** SDG `units` codes written as readable units (same wording as the WDI rows). */
const SDG_UNIT_LABEL: Record<string, string> = {
  percent: 'percent',
  per_100_pop: 'per 100 inhabitants',
  per_1000000_pop: 'per million inhabitants',
  number: 'number',
};
const SDG_UNITS: Record<string, string> = {};
for (const r of sdg) {
  const prev = SDG_UNITS[col(r, 'series_code')];
  const unit = SDG_UNIT_LABEL[col(r, 'units')] ?? fail(`unknown SDG unit ${col(r, 'units')}`);
  if (prev !== undefined && prev !== unit) fail(`series ${col(r, 'series_code')} has two units`);
  SDG_UNITS[col(r, 'series_code')] = unit;
}
for (const code of Object.keys(SDG_UNITS).sort()) {
  const dsdCode = SDG_SERIES_RENAMED[code] ?? code.toUpperCase();
  const s = seriesByCode.get(dsdCode) ?? fail(`SDG series ${code} not in series_indicators.csv`);
  const renamed = SDG_SERIES_RENAMED[code] ? ` Code in the 2020 vintage; SDG DSD 1.4 code ${dsdCode}.` : '';
  const speed = code.startsWith('IT_NET_BB')
    ? ' Breakdown type_of_speed: SDG COMPOSITE_BREAKDOWN codes.'
    : '';
  indicatorMeta.push({
    code,
    name: col(s, 'series_name_en').replace(/\s*\[[^\]]*\]$/, ''),
    unit: SDG_UNITS[code]!,
    direction: 1,
    sdg: [col(s, 'indicator')],
    source: `UN SDG Global Database (Oct 2020) via open-numbers; custodian ${code.startsWith('GB_') ? 'UNESCO-UIS' : 'ITU'}`,
    licence: 'UN SDG Global Database terms (free use with attribution); compilation CC BY 4.0',
    definition: `${col(s, 'indicator_title_en')} (SDG ${col(s, 'indicator')}).${renamed}${speed}`,
  });
}
{
  const metaCodes = new Set(indicatorMeta.map((m) => m.code));
  if (metaCodes.size !== indicatorMeta.length) fail('duplicate indicator metadata');
  for (const c of obsIndicators) if (!metaCodes.has(c)) fail(`indicator ${c} has no metadata`);
  for (const c of metaCodes)
    if (!obsIndicators.has(c)) fail(`indicator ${c} has metadata but no observations`);
  for (const m of indicatorMeta) {
    for (const s of m.sdg) if (!sdgIndicatorCodes.has(s)) fail(`${m.code}: unknown SDG indicator ${s}`);
    if (m.breakdownOf && !metaCodes.has(m.breakdownOf))
      fail(`${m.code}: breakdown_of ${m.breakdownOf} unknown`);
  }
}
indicatorMeta.sort((a, b) => cmp(a.code, b.code));

// ---------------------------------------------------------------------------------------------
// Write the small files

const counts: Record<string, number> = {};
counts['geos.csv'] = writeCsv('geos.csv', GEO_HEADER, geoRows);
counts['regions.csv'] = writeCsv(
  'regions.csv',
  ['m49', 'level', 'parent_m49', ...LANGS.map((l) => `name_${l}`)],
  regionRows,
);
counts['groups.csv'] = writeCsv('groups.csv', GROUP_HEADER, groupRows);
counts['memberships.csv'] = writeCsv(
  'memberships.csv',
  ['group', 'geo', 'valid_from', 'valid_to', 'source'],
  memberships.map((m) => [m.group, m.geo, m.from, m.to, m.source]),
);
counts['indicators.csv'] = writeCsv(
  'indicators.csv',
  [
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
  ],
  indicatorMeta.map((m) => [
    m.code,
    m.name,
    m.unit,
    String(m.direction),
    m.sdg.join(';'),
    m.source,
    m.licence,
    m.definition,
    m.breakdownOf ?? '',
    m.sex ?? '',
    m.area ?? '',
  ]),
);
for (const f of ['sdg_names.csv', 'sdg_goal_short_names.csv']) {
  const text = readFileSync(join(SHARED, 'sdg-names', f), 'utf8');
  writeText(f, text);
  counts[f] = readCsv(`sdg-names/${f}`).length;
}

interface ManifestEntry {
  file: string;
  format: 'tidy-csv';
  source: string;
  vintage: string;
  licence: string;
  retrieved: string;
  url: string;
}
const manifest: { datasets: ManifestEntry[] } = {
  datasets: [
    {
      file: 'observations/wdi-ict-gapminder.csv.gz',
      format: 'tidy-csv',
      source:
        'World Bank World Development Indicators (ICT series from ITU; population from UN WPP) via Gapminder Systema Globalis',
      vintage: '2025-12-08',
      licence: 'CC BY 4.0',
      retrieved: '2026-03-01',
      url: 'https://github.com/open-numbers/ddf--gapminder--systema_globalis/tree/c63631abeb62af6db3910f68be7c2b443beca50b',
    },
    {
      file: 'observations/wpp-population-by-sex.csv.gz',
      format: 'tidy-csv',
      source: 'UN DESA Population Division, World Population Prospects, via Gapminder Systema Globalis',
      vintage: 'Gapminder Systema Globalis snapshot 2026-03-01 (WPP revision not stated in the shared copy)',
      licence: 'CC BY 3.0 IGO',
      retrieved: '2026-03-01',
      url: 'https://github.com/open-numbers/ddf--gapminder--systema_globalis/tree/c63631abeb62af6db3910f68be7c2b443beca50b',
    },
    {
      file: 'observations/wdi-innovation-internet-by-sex.csv.gz',
      format: 'tidy-csv',
      source:
        'World Bank World Development Indicators (R&D from UNESCO-UIS; Internet by sex from ITU) via open-numbers',
      vintage: 'WDI 2024/2025 (open-numbers commits 057b7280, 01a34e8b, 339720c5)',
      licence: 'CC BY 4.0',
      retrieved: 'not stated (files read at the three commits named in vintage)',
      url: 'https://github.com/open-numbers/ddf--open_numbers--world_development_indicators',
    },
    {
      file: 'observations/itu-active-mobile-broadband.csv.gz',
      format: 'tidy-csv',
      source: 'ITU World Telecommunication/ICT Indicators database, DataHub export (i271mw)',
      vintage: '2024-03-22',
      licence: 'ITU terms of use (attribution)',
      retrieved: '2024-08-22',
      url: 'https://github.com/FNS-Division/mobile-network-capacity-checker/blob/9e2de9f0eb42578f641b82003f4694605ce562c9/data/input_data/active-mobile-broadband-subscriptions.csv',
    },
    {
      file: 'observations/itu-price-baskets.csv.gz',
      format: 'tidy-csv',
      source: 'ITU ICT Price Baskets (ITU_ICTPriceBaskets_2008-2025.xlsx), latest cross-section',
      vintage: '2025-12 (Dec 2025 release)',
      licence: 'CC BY-NC-SA 3.0 IGO (non-commercial)',
      retrieved: 'not stated (repository commit c6288b42)',
      url: 'https://github.com/Noah-TaeHwan/affording-generative-ai/blob/c6288b42ae46d9dec09570c944a19612105e4c9f/data/raw/itu/itu_price_baskets_long.csv',
    },
    {
      file: 'observations/un-sdg-2020-ict-rd.csv.gz',
      format: 'tidy-csv',
      source: 'UN SDG Global Database (custodians ITU, UNESCO-UIS) via open-numbers',
      vintage: '2020-10',
      licence: 'UN SDG Global Database terms (attribution); compilation CC BY 4.0',
      retrieved: '2020-10-19',
      url: 'https://github.com/open-numbers/ddf--unstats--sdg_indicators/tree/1bfae15828a86ad30e86872411534f5c8136d784',
    },
  ],
};
{
  const files = new Set(obsStats.map((s) => s.file));
  for (const d of manifest.datasets)
    if (!files.has(d.file)) fail(`manifest lists ${d.file} which was not written`);
  if (files.size !== manifest.datasets.length) fail('an observation file is missing from the manifest');
}
writeText('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);

// ---------------------------------------------------------------------------------------------
// PROVENANCE.md

function flagList(rows: Row[], flag: string): string[] {
  return rows
    .filter((r) => col(r, flag) === '1')
    .map((r) => col(r, 'iso3'))
    .sort();
}
function flagDiff(a: string, b: string): string {
  const x = new Set(flagList(m49Countries, a));
  const y = new Set(flagList(m49Countries, b));
  const added = setDiff(y, x);
  const removed = setDiff(x, y);
  if (added.length === 0 && removed.length === 0) return `no difference (${x.size} countries in both)`;
  return `${x.size} → ${y.size}; only in ${b}: ${added.join(', ') || 'none'}; only in ${a}: ${removed.join(', ') || 'none'}`;
}
const droppedText = (m: Map<string, number>): string =>
  m.size === 0
    ? 'none'
    : [...m.entries()]
        .sort((a, b) => cmp(a[0], b[0]))
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
const sumDropped = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const statsOf = (file: string): ObsFileStats =>
  obsStats.find((s) => s.file === `observations/${file}`) ?? fail(`no stats for ${file}`);
const indicatorCounts = (s: ObsFileStats): string =>
  [...s.byIndicator.entries()]
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([k, v]) => `\`${k}\` ${v.toLocaleString('en-US')}`)
    .join(', ');
const n = (x: number): string => x.toLocaleString('en-US');
const membershipCounts = new Map<string, number>();
for (const m of memberships) membershipCounts.set(m.group, (membershipCounts.get(m.group) ?? 0) + 1);
const ituFlagged = statsOf('itu-active-mobile-broadband.csv.gz').flagged.get('E') ?? 0;
const priceFlagged = statsOf('itu-price-baskets.csv.gz').flagged.get('G') ?? 0;

const obsTable = obsStats
  .map(
    (s) =>
      `| \`${s.file}\` | ${n(s.rowsIn)} | ${n(s.rows)} | ${sumDropped(s.dropped)} (${droppedText(s.dropped)}) | ${s.geos} | ${s.years[0]}–${s.years[1]} |`,
  )
  .join('\n');

const ldcTable = Object.entries(LDC_INCLUDED)
  .flatMap(([year, list]) => list.map((iso3) => ({ year, iso3 })))
  .sort((a, b) => cmp(a.iso3, b.iso3))
  .map(({ year, iso3 }) => {
    const g = LDC_GRADUATED[iso3];
    const inc = ldcInclusion(year, iso3);
    const from = inc.precision === 'day' ? inc.date : `${inc.date} (${inc.precision} only)`;
    return `| ${iso3} | ${from} | ${g ? `${g.date}${g.precision === 'month' ? ' (month only)' : ''}` : ''} | ${g ? g.source : ''} |`;
  })
  .join('\n');

const provenance = `# Provenance of the bundled data

Generated by \`scripts/curate-data.ts\` (\`npx tsx scripts/curate-data.ts\`) from the shared source files
in \`../shared/data\` (each with its own README giving repository, commit and licence). Do not edit the
files in this folder by hand: change the script and run it again. Values are copied from the source
files as text; only the layout changed. Nothing was imputed.

## Files

| file | rows | what |
|---|---|---|
| \`geos.csv\` | ${counts['geos.csv']} | countries/areas: M49, ISO3, ISO2, UN names in six languages, M49 region codes |
| \`regions.csv\` | ${counts['regions.csv']} | M49 world/regions/sub-regions/intermediate regions with six-language names, level and parent |
| \`groups.csv\` | ${counts['groups.csv']} | groups: WORLD, M49 regional groups, LDC/LLDC/SIDS, developed/developing (2020), World Bank income groups |
| \`memberships.csv\` | ${n(counts['memberships.csv']!)} | group membership with validity dates |
| \`indicators.csv\` | ${counts['indicators.csv']} | metadata of every indicator code in the observation files |
| \`sdg_names.csv\` | ${n(counts['sdg_names.csv']!)} | SDG goal/target/indicator titles, six languages (unchanged copy) |
| \`sdg_goal_short_names.csv\` | ${counts['sdg_goal_short_names.csv']} | SDG goal short names, six languages (unchanged copy) |
| \`manifest.json\` | ${manifest.datasets.length} datasets | observation files in load order, with source, vintage, licence, retrieval and URL |
| \`observations/*.csv.gz\` | see below | observations in Pontis tidy long CSV |

## Observation files

Format: UTF-8, gzip, header \`indicator,geo,period,sex,area,value,flags\` (+ \`type_of_speed\` in the SDG file,
which becomes a breakdown dimension). \`geo\` ISO3, \`period\` year, \`sex\` F/M/_T, \`area\` U/R/_T (SDMX codes).
Sorted by indicator, geo, period, sex, area, breakdown. The script fails on a duplicate key, an unknown geo
(rows are dropped and counted instead), a non-numeric value or an unknown code.

| file | source rows | rows written | dropped (geo not in geos.csv) | geos | years |
|---|---|---|---|---|---|
${obsTable}

### Flags (SDMX OBS_STATUS codes)
* empty — normal value.
* \`E\` (estimated value) — ITU mobile broadband: the ITU \`data_source\` or \`data_note\` mentions an estimate
  (regex \`/estimat/i\`: "ITU estimate.", "ITU estimate based on GSMA", "Estimate.", "Figure based on NRA estimates.", …);
  ${n(ituFlagged)} rows. UN SDG file: NATURE \`e\`/\`E\` (estimated) or \`m\`/\`M\` (modelled) would map to \`E\`; NATURE
  \`c\`/\`CA\` (country data, country adjusted), \`G\` (global monitoring) and \`notspec\` map to empty. In the Oct 2020
  file only ${[...sdgNatures.entries()]
    .sort()
    .map(([k, v]) => `\`${k}\` (${n(v)})`)
    .join(' and ')} occur, so no SDG row is flagged.
* \`G\` (experimental value, SDMX CL_OBS_STATUS) — ITU price baskets from the 2025 *experimental* collection
  (status \`experimental\` in the source: the 2 GB mobile basket collected in 2025, the year the 5 GB basket became
  ITU's official mobile-broadband basket);
  ${n(priceFlagged)} rows.

### \`observations/wdi-ict-gapminder.csv.gz\`
* Source: \`gapminder-systema-globalis/wdi_ict_country_year.csv.gz\` — World Bank WDI as republished by Gapminder,
  repository \`open-numbers/ddf--gapminder--systema_globalis\`, commit \`c63631abeb62af6db3910f68be7c2b443beca50b\`
  (ICT datapoints last changed in \`1a8e0d6189e3fc2aa2a0b121dd63e1f877ac4bb7\`, 2025-12-08). ICT series originate from ITU.
* Licence: CC BY 4.0 (World Bank WDI; Gapminder compilation).
* Transformation: \`indicator_code\`→\`indicator\`, \`iso3\`→\`geo\`, \`year\`→\`period\`; \`sex\`=_T; \`area\`=U for
  \`SP.URB.TOTL\`, R for \`SP.RUR.TOTL\` (both declared as area breakdowns of \`SP.POP.TOTL\` in indicators.csv), _T otherwise.
* \`SP.POP.TOTL\` is not a Gapminder file: the shared copy computed it as \`SP.URB.TOTL + SP.RUR.TOTL\` (WDI's own
  identity, rural = total − urban). The script checks the identity for every row before copying.
* Early years contain explicit zeros for ICT series (before a service existed), as in the source.
* Rows per indicator: ${indicatorCounts(statsOf('wdi-ict-gapminder.csv.gz'))}.

### \`observations/wpp-population-by-sex.csv.gz\`
* Source: \`gapminder-systema-globalis/population_by_sex_wpp.csv.gz\` (same repository and commit), Gapminder concepts
  \`female_population_with_projections\`, \`male_population_with_projections\` (UN World Population Prospects).
* Licence: UN WPP CC BY 3.0 IGO; Gapminder compilation CC BY 4.0.
* Indicator code \`WPP.POP\` (a Pontis code: WPP has no series code) with \`sex\` F, M and _T. _T is female + male as
  computed in the shared copy. Years after the WPP estimate period are medium-variant projections (up to 2030); they
  are not flagged because the shared copy does not say which WPP revision (and so which last estimate year) it is.
* Rows: ${n(statsOf('wpp-population-by-sex.csv.gz').rows)}.

### \`observations/wdi-innovation-internet-by-sex.csv.gz\`
* Source: \`open-numbers-wdi/wdi_innovation_and_internet_by_sex.csv\` — World Bank WDI, DDF mirror
  \`open-numbers/ddf--open_numbers--world_development_indicators\`, commits \`057b728034085d772ba569623e7a2ed1a0a15214\`
  (GB.XPD.RSDV.GD.ZS), \`01a34e8b54d76160a61b0325d74254e22db06b93\` (SP.POP.SCIE.RD.P6),
  \`339720c5e4d9456ea62a08c4583d0bc73aec1fc5\` (IT.NET.USER.FE.ZS, IT.NET.USER.MA.ZS).
* Licence: CC BY 4.0 (R&D from UNESCO-UIS; Internet by sex from ITU household surveys).
* Transformation: WDI's sex-specific codes kept as they are, with \`sex\`=F for \`IT.NET.USER.FE.ZS\` and M for
  \`IT.NET.USER.MA.ZS\` (declared as sex breakdowns of \`IT.NET.USER.ZS\`); the script checks that the source's sex
  column agrees with the code.
* Rows per indicator: ${indicatorCounts(statsOf('wdi-innovation-internet-by-sex.csv.gz'))}.

### \`observations/itu-active-mobile-broadband.csv.gz\`
* Source: \`itu-mobile-broadband/itu_active_mobile_broadband_subscriptions.csv\` — ITU DataHub export of 2024-03-22
  (series \`i271mw\`), found in \`FNS-Division/mobile-network-capacity-checker\` commit
  \`9e2de9f0eb42578f641b82003f4694605ce562c9\`. ITU's \`WBG\` was written as \`PSE\` in the shared copy.
* Licence: ITU terms of use (attribute ITU); the repository code is BSD-style.
* Transformation: value = \`subscriptions\` (count). The shared file's \`population_wpp\` and derived \`per_100_derived\`
  columns are **not** copied (Pontis computes ratios itself); \`economy\`, \`data_note\` and \`data_source\` are used only
  for the \`E\` flag and otherwise not carried over.
* Rows: ${n(statsOf('itu-active-mobile-broadband.csv.gz').rows)}, of which ${n(ituFlagged)} flagged \`E\`.

### \`observations/itu-price-baskets.csv.gz\`
* Source: \`itu-price-baskets/itu_price_baskets_long.csv\` — derived from ITU's \`ITU_ICTPriceBaskets_2008-2025.xlsx\`
  (Dec 2025 release, sheet \`economies_2008-2025\`), found in \`Noah-TaeHwan/affording-generative-ai\` commit
  \`c6288b42ae46d9dec09570c944a19612105e4c9f\`.
* **Licence: CC BY-NC-SA 3.0 IGO — non-commercial, share-alike.** Attribute "ITU ICT Price Baskets, Dec 2025 release".
  Anyone redistributing Pontis with this file for commercial use must remove it.
* Transformation: \`basket_code\`→\`indicator\` (ITU codes, \`$\` included: \`i271mb_2GB$\` is USD); the \`unit\` column is
  checked against the code suffix and moved to indicators.csv; \`status\`=experimental → flag \`G\`.
* Coverage: the 2024/2025 cross-section only, plus a few older "latest official" values (2019, 2022, 2023). Price
  time series before 2024 are not in the shared data.
* Rows per indicator: ${indicatorCounts(statsOf('itu-price-baskets.csv.gz'))}.

### \`observations/un-sdg-2020-ict-rd.csv.gz\`
* Source: \`un-sdg-2020/sdg_ict_rd_country_year.csv.gz\` — UN SDG Global Database, October 2020, as downloaded by
  \`open-numbers/ddf--unstats--sdg_indicators\` commit \`1bfae15828a86ad30e86872411534f5c8136d784\` (2020-10-19).
* Licence: UN SDG Global Database terms (free use with attribution); open-numbers compilation CC BY 4.0. Custodians:
  ITU (ICT series), UNESCO-UIS (R&D series).
* Transformation: \`series_code\`→\`indicator\` (the 2020 codes are kept: \`IT_USE_ii99\`, \`IT_NET_BBP\` and \`IT_NET_BBN\`;
  SDG DSD 1.4 calls the last two \`IT_NET_BBND\` / \`IT_NET_BBNDN\`); \`sex\` bothsex/female/male → _T/F/M; \`nature\` →
  flags (above); \`units\` moved to indicators.csv (\`per_100_pop\` → "per 100 inhabitants",
  \`per_1000000_pop\` → "per million inhabitants"; one unit per series, checked); \`m49\` dropped (geo is ISO3).
* Extra column \`type_of_speed\` (fixed-broadband speed tier, a breakdown dimension) in SDG DSD 1.4
  COMPOSITE_BREAKDOWN codes: \`anys\`→\`_T\`, \`256kt2mbps\`→\`IS_256KT2M\`, \`2mt10mbps\`→\`IS_2MT10M\`,
  \`10mbps\`→\`IS_GE10M\` (≥ 10 Mbit/s); \`_T\` for all series without speed tiers.
* Rows per indicator: ${indicatorCounts(statsOf('un-sdg-2020-ict-rd.csv.gz'))}.

### Dropped geos
Rows whose geo is not in \`geos.csv\` are dropped (counts in the table above):
* \`XKX\` (Kosovo) — not in the M49 list of countries or areas (the SDG codelist has it as 412); not added.
* \`ANT\` (Netherlands Antilles, dissolved 2010) and \`ASC\` (Ascension) — ITU legacy/territory codes with no M49 row.
* \`TWN\` is **kept** (see geos.csv below), so no TWN rows are dropped.

## \`geos.csv\`
* Source: \`country-names/country_names.csv\` — UNSD M49 overview in the six UN languages (scraped by
  \`codeforIATI/country-region-codes-scraper\`, branch gh-pages, commit \`bac79fe3183394582f6718ebfb4dd1ea0a126111\`,
  2025-10-22). MIT (scraper); content UNSD M49 standard. Copied unchanged (${countryNames.length} rows), sorted by M49.
* **TWN decision**: Taiwan is not listed in M49, but WPP, ITU (mobile broadband, price baskets) and the UN SDG
  database (as M49-style code 158 "Other non-specified areas in Eastern Asia", parent 030 in SDG CL_AREA) publish data
  for it. Dropping it would silently remove real observations (and ~23 million people from population-weighted world
  aggregates), so one row is added: m49 \`158\`, iso3 \`TWN\`, iso2 \`TW\` and region codes 142/030 from
  \`classifications/m49_countries.csv\` (datasets/country-codes), English name "${TWN.name_en}" (the name ITU uses in
  the source files); the five other names are **empty** because M49 gives it no name in any language (no official UN name to copy). It belongs
  to WORLD, M49_142 and M49_030 (with a note in memberships.csv), WB_H (World Bank "Taiwan, China"), and to no
  development group (\`m49_dev_status_2020\` is empty for it).
* Antarctica (ATA) has no region codes, as in M49.

## \`regions.csv\`
From \`country-names/m49_region_names.csv\` (${regionRows.length} rows, same source). Columns \`m49, level\`
(world/region/subregion/intermediate_region), \`parent_m49\` (derived from the country rows: region → 001,
sub-region → its region, intermediate region → its sub-region; e.g. 029 Caribbean → 419 → 019), names in six languages.

## \`groups.csv\`
* \`WORLD\` (kind world) and \`M49_xxx\` for every M49 region (m49-region), sub-region (m49-subregion) and intermediate
  region (m49-intermediate): names from m49_region_names.csv.
* Development groups \`LDC\`, \`LLDC\`, \`SIDS\`, \`DEVELOPED\`, \`DEVELOPING\` (kind development): names in all six
  languages taken from the official UN wording of the 2030 Agenda (A/RES/70/1) as carried in \`sdg_names.csv\` —
  target 9.a (least developed countries, landlocked developing countries, small island developing States) and
  target 17.2 (developed countries, developing countries) — put in the nominative plural and capitalised.
* Income groups \`WB_L\`, \`WB_LM\`, \`WB_UM\`, \`WB_H\` (kind income): English as in World Bank OGHIST; French from the
  World Bank data blog (blogs.worldbank.org/fr/opendata/nouvelle-classification-pays-revenu-2024: "faible revenu,
  revenu intermédiaire de la tranche inférieure, revenu intermédiaire de la tranche supérieure et revenu élevé");
  Spanish from blogs.worldbank.org/es/opendata/clasificacion-de-paises-del-banco-mundial-por-nivel-de-ingreso-2024-25
  ("ingreso bajo, mediano bajo, mediano alto y alto"). **Arabic, Chinese and Russian left empty**: no official World
  Bank wording was found.

## \`memberships.csv\`
Columns \`group, geo, valid_from, valid_to, source\`; ISO dates, \`valid_to\` exclusive, empty = open-ended. The script
checks that intervals of one geo in one group do not overlap. Rows per group: ${[
  ...membershipCounts.entries(),
]
  .sort((a, b) => cmp(a[0], b[0]))
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')}.

* **WORLD**: every geo, open-ended.
* **M49 regions / sub-regions / intermediate regions**: from the region codes in geos.csv (current M49, Oct 2025),
  open-ended.
* **LLDC, SIDS**: the Oct 2020 M49 flags (\`lldc_2020\`, \`sids_2020\` in classifications/m49_countries.csv, datasets/country-codes
  commit \`4b783b025f20754680389f7604a86f51d9de30c9\`), open-ended. Differences with the 2026 snapshot flags: LLDC
  ${flagDiff('lldc_2020', 'lldc_current')}; SIDS ${flagDiff('sids_2020', 'sids_current')}.
* **DEVELOPED / DEVELOPING**: \`m49_dev_status_2020\`, open-ended. This is the M49 developed/developing split as it
  stood in Oct 2020; UNSD discontinued it in 2021/22, so it is frozen, not a current classification. ITU's
  developed/developing aggregates follow it. Empty (no membership) for TWN and ATA.
* **World Bank income groups**: \`classifications/wb_income_group_history.csv\` (OGHIST, FY89–FY26; repository
  \`Anti4ris98/Scientific-Research\` commit \`f042fb1e62871a14521ceb55ca041349d7b7d2b4\`; CC BY 4.0). Fiscal year FYxx is
  valid from (20xx−1)-07-01 to 20xx-07-01 (FY26: 2025-07-01 to 2026-07-01); consecutive fiscal years with the same
  group are merged into one row; a year without classification ends a run. The last row of each economy ends on
  2026-07-01 (FY27 is not in the source). Dropped (economy not in geos.csv): ${droppedText(wbDropped)}.
* **LDC**: see next section.

## LDC inclusion and graduation dates
* Inclusion years: UN DESA, "Creation of the LDC category and timeline of changes to LDC membership and criteria"
  (https://policy.desa.un.org/themes/least-developed-countries-category/creation-of-the-ldc-category-and-timeline-of-changes-to),
  which lists each country under the year it joined (and the year it graduated). Exact dates where a UN text gives them:
  * 1971 list: GA resolution 2768 (XXVI) of 18 November 1971 (as cited by UN-OHRLLS material and the Wikipedia article
    "Least developed countries", read through copies in the search corpus) → 1971-11-18.
  * 1975 (Bangladesh, Central African Republic, Gambia): GA res. 3487 (XXX) of 12 December 1975; 1977 (Cabo Verde,
    Comoros): GA res. 32/92 and 32/99 of 13 December 1977; 1981 (Guinea-Bissau): ECOSOC res. 1981/34 of 8 May 1981 —
    all three as recalled in the preamble of the ECOSOC resolution of 27 July 1982 on the identification of the least
    developed countries (text found at old.radicali.it/search_view.php?id=20312). That same resolution recommended the
    1982 additions (Djibouti, Equatorial Guinea, Sao Tome and Principe, Sierra Leone, Togo) to the 37th General
    Assembly, whose decision date was not found. (A Refworld copy of GA res. 32/… gives "1 December 1975" for 3487 (XXX);
    12 December is used.)
  * Senegal: the timeline lists it under 2000 (presumably the year of the CDP recommendation / ECOSOC endorsement); UN News
    (news.un.org/en/story/2001/04/2422) reports that the General Assembly added Senegal in April 2001 → 2001-04-01
    (month only).
  * All other inclusions are published as a year only: \`valid_from\` is set to **1 January of that year** (a
    convention, so the country counts as an LDC for that whole data year when the store evaluates membership on
    1 July). As the Senegal case shows, the timeline year can precede the General Assembly decision, so membership in
    the inclusion year itself is uncertain for: Vanuatu 1985, Kiribati/Mauritania/Tuvalu 1986, Myanmar 1987,
    Mozambique 1988, Liberia 1990, Cambodia/DR Congo/Madagascar/Solomon Islands/Zambia 1991, Angola/Eritrea 1994,
    the 1982 group, Timor-Leste 2003, South Sudan 2012.
* Graduation dates (\`valid_to\`): Botswana December 1994 (month only: UN DESA timeline; UNCTAD LDC Report 2016 lists
  Botswana as graduated in 1994; the day was not found, \`valid_to\` = 1994-12-01); Cabo Verde 20 December 2007 (end of
  the three-year period after GA res. 59/210 of 20 Dec 2004, UNCTAD LDC Report 2016 table "[Dec. 2007]"; one press
  source says 1 January 2008); Maldives 1 January 2011 (Maldives Ministry of Foreign Affairs, UNCTAD via IISD);
  Samoa January 2014 (month only: UN-OHRLLS announcement reported by IISD, June 2012; \`valid_to\` = 2014-01-01);
  Equatorial Guinea 4 June 2017 (UN-OHRLLS); Vanuatu 4 December 2020 (UN DESA CDP news; UN-OHRLLS);
  Bhutan 13 December 2023 (UN DESA news; Bhutan MFA press release); São Tomé and Príncipe 13 December 2024
  (UN DESA CDP news: "eighth country to graduate… 44 countries remaining"; UN-OHRLLS).
* Cross-checks (assertions in the script):
  * LDC members on 2020-07-01 = \`ldc_2020\` (47 countries, Oct 2020 M49) — holds.
  * LDC members on ${CURRENT_SNAPSHOT_DATE} (date of the current M49 snapshot) = \`ldc_current\` (45) minus São Tomé and
    Príncipe = 44 — holds. **Documented difference**: the 2026 M49 snapshot still flags São Tomé and Príncipe as an LDC
    although it graduated on 13 December 2024 (UN DESA: 44 LDCs remain); the flag in that file lags the UN decision.
  * 52 countries have ever been on the list; each is in geos.csv.
* Not recorded: graduations scheduled after the snapshot (UN DESA timeline: Bangladesh, Lao PDR and Nepal 2026;
  Solomon Islands 2027; Cambodia and Senegal 2029). Their memberships stay open-ended until the graduation has
  happened and is confirmed by the UN; add them to \`LDC_GRADUATED\` in the script then.
* Sikkim (on the 1971 list, part of India since 1975) and the two Yemens before 1990 are not represented (no geo).

| geo | valid_from | valid_to | graduation source |
|---|---|---|---|
${ldcTable}

## \`indicators.csv\`
One row per indicator code in the observation files (the script fails if one is missing or extra). Names: WDI
indicator names (as in the WDI downloads, e.g. format-samples/wdi-csv), ITU series/basket names, SDG series names from
\`sdg-series/series_indicators.csv\` (SDG DSD 1.4; the bracketed indicator number removed). \`direction\` 1 = higher is
better, −1 for prices (lower is more affordable); population counts carry 1 although direction has no meaning for them.
\`sdg\`: SDG indicator numbers (current framework numbering; validated against sdg_names.csv): IT.NET.USER.ZS and its
sex breakdowns, IT_USE_ii99 → 17.8.1; fixed broadband (IT.NET.BBND, IT.NET.BBND.P2, IT_NET_BBP, IT_NET_BBN) → 17.6.1;
GB.XPD.RSDV.GD.ZS, GB_XPD_RSDV → 9.5.1; SP.POP.SCIE.RD.P6, GB_POP_SCIERD → 9.5.2; IT_MOB_2G/3G/4GNTWK → 9.c.1;
IT_MOB_OWN → 5.b.1. Mobile cellular and active mobile-broadband subscriptions, prices, GNI and population have no SDG
indicator. \`breakdown_of, sex, area\`: IT.NET.USER.FE.ZS → IT.NET.USER.ZS, F; IT.NET.USER.MA.ZS → IT.NET.USER.ZS, M;
SP.URB.TOTL → SP.POP.TOTL, area U; SP.RUR.TOTL → SP.POP.TOTL, area R.

## \`sdg_names.csv\`, \`sdg_goal_short_names.csv\`
Byte-identical copies of \`sdg-names/\` (open-sdg/sdg-translations commit \`0cda585851a5c6f04040a9a2755fbb4496c4eead\`,
MIT; texts are the official UN wording). See that folder's README for the caveats (pre-2020 codes such as 17.6.2).

## \`manifest.json\`
The observation files in load order, each with \`format\` tidy-csv, \`source\`, \`vintage\` (the source's own date where
known), \`licence\`, \`retrieved\` (date of the repository snapshot the shared copy was taken from) and \`url\`.
`;
writeText('PROVENANCE.md', provenance);

// ---------------------------------------------------------------------------------------------
console.log(`curate-data: wrote ${OUT}`);
for (const s of obsStats)
  console.log(`  ${s.file}: ${s.rows} rows (${s.rowsIn} in; dropped ${droppedText(s.dropped)})`);
for (const [f, c] of Object.entries(counts)) console.log(`  ${f}: ${c} rows`);
