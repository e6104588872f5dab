/**
 * The figures of a country profile, computed through the library and cached per store and
 * country (they do not depend on the language): latest value of each key indicator with the
 * aggregates of the country's groups in that year, the gender and urban/rural gaps, affordability
 * against the 2% target and progress towards the 2030 targets.
 */
import { affordability, type GroupAffordabilityResult } from '../../analysis/affordability.ts';
import { aggregate } from '../../analysis/aggregate.ts';
import { gap } from '../../analysis/gap.ts';
import { progress } from '../../analysis/progress.ts';
import { PontisError } from '../../core/errors.ts';
import type { AggregateValue } from '../../stats/aggregate.ts';
import type { GroupGender } from '../../stats/gender-gap.ts';
import type { StatResult } from '../../stats/result.ts';
import type { TargetProgress } from '../../stats/target-progress.ts';
import { querySeries, type SeriesRow } from '../../store/queries.ts';
import type { SourceRef } from '../../store/sources.ts';
import type { Store } from '../../store/store.ts';
import { aggregationFor } from '../aggregation.ts';
import { indicators, membershipsAt } from '../catalog.ts';

/** The key indicators of a profile, in display order. */
export const KEY_INDICATORS = [
  'IT.NET.USER.ZS',
  'i271mw',
  'IT.NET.BBND.P2',
  'NY.GNP.PCAP.CD',
  'GB.XPD.RSDV.GD.ZS',
  'IT_MOB_3GNTWK',
  'IT_MOB_4GNTWK',
  'i271mb_2GB_GNI',
  'i154_FBB5_GNI',
] as const;

/** Mobile-broadband subscriptions are a count: shown per 100 people (÷ WPP population × 100). */
const PER_100 = new Set(['i271mw']);

export const BASKETS = ['i271mb_2GB_GNI', 'i154_FBB5_GNI'] as const;
export const PROGRESS_INDICATORS = ['IT.NET.USER.ZS', 'IT_MOB_OWN'] as const;
export const AFFORDABILITY_TARGET = 2;

export interface GroupFigure {
  group: string;
  role: 'region' | 'income' | 'development' | 'special';
  result: StatResult<AggregateValue> | null;
}

export interface KeyRow {
  code: string;
  nameEn: string | null;
  year: number;
  value: number;
  groups: GroupFigure[];
}

export interface CountryData {
  iso3: string;
  /** The year of the latest key figure; groups are listed as of that year. */
  year: number;
  groupsNow: string[];
  key: KeyRow[];
  missing: string[];
  gender: { year: number; value: GroupGender } | null;
  area: { year: number; urban: number; rural: number; gap: number } | null;
  afford: Array<{ code: string; year: number; value: number; group: GroupAffordabilityResult | null }>;
  progress: Array<{ indicator: string; items: TargetProgress[] }>;
  sources: SourceRef[];
}

export function roleOf(group: string): GroupFigure['role'] | null {
  if (/^M49_(002|009|019|142|150)$/.test(group)) return 'region';
  if (group.startsWith('WB_')) return 'income';
  if (group === 'DEVELOPED' || group === 'DEVELOPING') return 'development';
  if (group === 'LDC' || group === 'LLDC' || group === 'SIDS') return 'special';
  return null;
}

const ROLE_ORDER = ['region', 'income', 'development', 'special'] as const;

function sortGroups(codes: readonly string[]): string[] {
  return codes
    .filter((g) => roleOf(g) !== null)
    .sort((a, b) => ROLE_ORDER.indexOf(roleOf(a)!) - ROLE_ORDER.indexOf(roleOf(b)!) || a.localeCompare(b));
}

function sourceOf(r: SeriesRow): SourceRef {
  return {
    indicator: r.indicator,
    dataset: r.dataset,
    source: r.source,
    vintage: r.vintage,
    file: '',
    licence: null,
    url: null,
  };
}

async function series(store: Store, code: string, geo: string, dims: Record<string, string> = {}) {
  try {
    return await querySeries(store, { indicator: code, geo: [geo], dims });
  } catch (e) {
    if (e instanceof PontisError && e.code === 'not_found') return [];
    throw e;
  }
}

async function keyRow(
  store: Store,
  iso3: string,
  code: string,
  sources: SourceRef[],
): Promise<KeyRow | null> {
  const rows = await series(store, code, iso3);
  if (rows.length === 0) return null;
  let last = rows[rows.length - 1]!;
  let value = last.value;
  if (PER_100.has(code)) {
    // The latest year with both the count and the population.
    const pop = new Map((await series(store, 'WPP.POP', iso3)).map((r) => [r.year, r]));
    const both = rows.filter((r) => pop.has(r.year));
    if (both.length === 0) return null;
    last = both[both.length - 1]!;
    const p = pop.get(last.year)!;
    value = (last.value / p.value) * 100;
    sources.push(sourceOf(p));
  }
  sources.push(sourceOf(last));
  const meta = (await indicators(store)).find((i) => i.code === code);
  const members = (await membershipsAt(store, last.year)).get(iso3) ?? [];
  const codes = sortGroups(members);
  const agg = PER_100.has(code)
    ? { method: 'ratio' as const, denominator: 'WPP.POP', scale: 100 }
    : aggregationFor(code, meta?.unit ?? null);
  let results = new Map<string, StatResult<AggregateValue>>();
  if (agg && codes.length) {
    try {
      const rep = await aggregate(store, { indicator: code, groups: codes, year: last.year, ...agg });
      results = new Map(rep.results.map((r) => [r.group, r.result]));
      sources.push(...rep.sources);
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
    }
  }
  return {
    code,
    nameEn: meta?.name ?? null,
    year: last.year,
    value,
    groups: codes.map((g) => ({ group: g, role: roleOf(g)!, result: results.get(g) ?? null })),
  };
}

async function genderOf(store: Store, iso3: string, sources: SourceRef[]): Promise<CountryData['gender']> {
  const f = await series(store, 'IT.NET.USER.ZS', iso3, { sex: 'F' });
  const m = new Set((await series(store, 'IT.NET.USER.ZS', iso3, { sex: 'M' })).map((r) => r.year));
  const years = f.map((r) => r.year).filter((y) => m.has(y));
  for (const year of years.reverse()) {
    try {
      const g = await gap(store, { indicator: 'IT.NET.USER.ZS', by: 'sex', geo: iso3, year, minCoverage: 0 });
      if (g.result.status === 'ok' && 'male' in g.result.value) {
        sources.push(...g.sources);
        return { year, value: g.result.value };
      }
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
    }
  }
  return null;
}

async function areaOf(store: Store, iso3: string, sources: SourceRef[]): Promise<CountryData['area']> {
  const u = await series(store, 'IT.NET.USER.ZS', iso3, { area: 'U' });
  const r = new Set((await series(store, 'IT.NET.USER.ZS', iso3, { area: 'R' })).map((x) => x.year));
  const years = u.map((x) => x.year).filter((y) => r.has(y));
  for (const year of years.reverse()) {
    try {
      const g = await gap(store, {
        indicator: 'IT.NET.USER.ZS',
        by: 'area',
        geo: iso3,
        year,
        minCoverage: 0,
      });
      if (g.result.status === 'ok' && 'urban' in g.result.value) {
        sources.push(...g.sources);
        const v = g.result.value;
        return { year, urban: v.urban, rural: v.rural, gap: v.gap };
      }
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
    }
  }
  return null;
}

async function affordOf(store: Store, iso3: string, sources: SourceRef[]): Promise<CountryData['afford']> {
  const out: CountryData['afford'] = [];
  for (const code of BASKETS) {
    const rows = await series(store, code, iso3);
    const last = rows[rows.length - 1];
    if (!last) continue;
    sources.push(sourceOf(last));
    const income = ((await membershipsAt(store, last.year)).get(iso3) ?? []).find((g) => g.startsWith('WB_'));
    let group: GroupAffordabilityResult | null = null;
    if (income) {
      try {
        const rep = await affordability(store, {
          basket: code,
          year: last.year,
          groups: [income],
          threshold: AFFORDABILITY_TARGET,
        });
        group = rep.results[0] ?? null;
        sources.push(...rep.sources);
      } catch (e) {
        if (!(e instanceof PontisError)) throw e;
      }
    }
    out.push({ code, year: last.year, value: last.value, group });
  }
  return out;
}

async function progressOf(store: Store, iso3: string): Promise<CountryData['progress']> {
  const out: CountryData['progress'] = [];
  for (const indicator of PROGRESS_INDICATORS) {
    try {
      const rep = await progress(store, { indicator, geo: iso3 });
      if (rep.series.length >= 2) out.push({ indicator, items: rep.progress });
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
    }
  }
  return out;
}

const cache = new WeakMap<Store, Map<string, Promise<CountryData>>>();

async function compute(store: Store, iso3: string): Promise<CountryData> {
  const sources: SourceRef[] = [];
  const key: KeyRow[] = [];
  const missing: string[] = [];
  for (const code of KEY_INDICATORS) {
    const row = await keyRow(store, iso3, code, sources);
    if (row) key.push(row);
    else missing.push(code);
  }
  const year = Math.min(new Date().getUTCFullYear(), Math.max(0, ...key.map((k) => k.year)));
  const groupsNow = sortGroups((await membershipsAt(store, year || 2020)).get(iso3) ?? []);
  return {
    iso3,
    year,
    groupsNow,
    key,
    missing,
    gender: await genderOf(store, iso3, sources),
    area: await areaOf(store, iso3, sources),
    afford: await affordOf(store, iso3, sources),
    progress: await progressOf(store, iso3),
    sources,
  };
}

/** The profile figures of a country (ISO3 upper case, known to exist). */
export function countryData(store: Store, iso3: string): Promise<CountryData> {
  let byIso = cache.get(store);
  if (!byIso) {
    byIso = new Map();
    cache.set(store, byIso);
  }
  let p = byIso.get(iso3);
  if (!p) {
    p = compute(store, iso3);
    p.catch(() => byIso.delete(iso3));
    byIso.set(iso3, p);
  }
  return p;
}
