/**
 * Reference lookups the pages need, through the library (never SQL here), cached per store:
 * countries and groups with their names in each language, group membership by year, indicators,
 * and SDG titles in the six languages (data/sdg_names.csv, the file the store loads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  type GroupRow,
  groupMembers,
  type IndicatorRow,
  listGroups,
  listIndicators,
  type MemberRow,
} from '../store/queries.ts';
import { DATA_DIR } from '../store/reference.ts';
import type { Store } from '../store/store.ts';
import { type Lang, MESSAGES } from './i18n.ts';

interface Cache {
  countries: Map<Lang, MemberRow[]>;
  groups: Map<Lang, GroupRow[]>;
  memberships: Map<number, Map<string, string[]>>;
  indicators: IndicatorRow[] | null;
}

const caches = new WeakMap<Store, Cache>();

function cache(store: Store): Cache {
  let c = caches.get(store);
  if (!c) {
    c = { countries: new Map(), groups: new Map(), memberships: new Map(), indicators: null };
    caches.set(store, c);
  }
  return c;
}

/** Every country (members of WORLD today), with its UN name in the language, sorted by code. */
export async function countries(store: Store, lang: Lang): Promise<MemberRow[]> {
  const c = cache(store);
  let rows = c.countries.get(lang);
  if (!rows) {
    rows = await groupMembers(store, 'WORLD', { lang });
    c.countries.set(lang, rows);
  }
  return rows;
}

export async function countryByCode(store: Store, lang: Lang, code: string): Promise<MemberRow | undefined> {
  const up = code.toUpperCase();
  return (await countries(store, lang)).find((r) => r.geo === up);
}

/**
 * Every group with its name in the language; names the store lacks in a language (the World Bank
 * income groups in Arabic, Chinese and Russian) come from the locale files.
 */
export async function groups(store: Store, lang: Lang): Promise<GroupRow[]> {
  const c = cache(store);
  let rows = c.groups.get(lang);
  if (!rows) {
    const messages: Record<string, string> = MESSAGES[lang];
    rows = (await listGroups(store, { lang })).map((g) => ({
      ...g,
      name: messages[`group.${g.code}`] ?? g.name,
    }));
    c.groups.set(lang, rows);
  }
  return rows;
}

export async function groupByCode(store: Store, lang: Lang, code: string): Promise<GroupRow | undefined> {
  const up = code.toUpperCase();
  return (await groups(store, lang)).find((g) => g.code === up);
}

/** The groups each country belonged to on 1 July of `year` (geo → group codes). */
export async function membershipsAt(store: Store, year: number): Promise<Map<string, string[]>> {
  const c = cache(store);
  let m = c.memberships.get(year);
  if (!m) {
    m = new Map();
    for (const g of await groups(store, 'en')) {
      for (const row of await groupMembers(store, g.code, { year })) {
        const list = m.get(row.geo) ?? [];
        list.push(g.code);
        m.set(row.geo, list);
      }
    }
    c.memberships.set(year, m);
  }
  return m;
}

export async function indicators(store: Store): Promise<IndicatorRow[]> {
  const c = cache(store);
  if (!c.indicators) c.indicators = await listIndicators(store);
  return c.indicators;
}

export async function indicatorByCode(store: Store, code: string): Promise<IndicatorRow | undefined> {
  const up = code.toUpperCase();
  const all = await indicators(store);
  return all.find((i) => i.code === code) ?? all.find((i) => i.code.toUpperCase() === up);
}

let sdgTitles: Map<string, string> | null = null;

/** The official title of an SDG goal, target or indicator ('9.c.1') in the language. */
export function sdgTitle(
  kind: 'goal' | 'target' | 'indicator',
  code: string,
  lang: Lang,
): string | undefined {
  if (!sdgTitles) {
    const rows = parse(readFileSync(join(DATA_DIR, 'sdg_names.csv'), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
    }) as Array<{ kind: string; code: string; lang: string; title: string }>;
    sdgTitles = new Map(rows.map((r) => [`${r.kind}|${r.code}|${r.lang}`, r.title]));
  }
  return sdgTitles.get(`${kind}|${code}|${lang}`);
}
