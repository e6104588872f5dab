/** Read queries over the store. All SQL is parameterised. */
import { DIMENSIONS, type Dimension } from '../core/dimensions.ts';
import { invalid, notFound } from '../core/errors.ts';
import { referenceDate } from '../core/geo.ts';
import { LANGS, type Lang } from '../core/indicator.ts';
import type { Params } from './db.ts';
import type { Store } from './store.ts';

export interface IndicatorRow {
  code: string;
  name: string | null;
  unit: string | null;
  direction: number;
  sdg: string[];
  source: string | null;
  licence: string | null;
  breakdown_of: string | null;
  observations: number;
  geos: number;
  first_year: number | null;
  last_year: number | null;
}

export async function listIndicators(
  store: Store,
  opts: { search?: string; lang?: Lang } = {},
): Promise<IndicatorRow[]> {
  const lang = opts.lang ?? 'en';
  if (!LANGS.includes(lang)) throw invalid(`unknown language ${lang}`, { field: 'lang' });
  const params: Params = [];
  let where = '';
  if (opts.search) {
    where = `WHERE i.code ILIKE ? OR i.name_${lang} ILIKE ? OR i.name_en ILIKE ? OR array_to_string(i.sdg, ' ') ILIKE ?`;
    const like = `%${opts.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like, like, like);
  }
  return store.db.all<IndicatorRow & Record<string, unknown>>(
    `SELECT i.code, coalesce(i.name_${lang}, i.name_en) AS name, i.unit, i.direction, i.sdg, i.source, i.licence,
       i.breakdown_of, coalesce(s.n, 0) AS observations, coalesce(s.geos, 0) AS geos, s.first_year, s.last_year
     FROM indicators i
     LEFT JOIN (SELECT indicator, count(*) AS n, count(DISTINCT geo) AS geos, min(year) AS first_year,
                       max(year) AS last_year FROM obs GROUP BY indicator) s ON s.indicator = i.code
     ${where}
     ORDER BY i.code`,
    params,
  );
}

export interface ResolvedIndicator {
  code: string;
  /** Dimensions implied by the code (WDI's IT.NET.USER.FE.ZS is IT.NET.USER.ZS with sex = F). */
  dims: Partial<Record<Dimension, string>>;
}

interface IndicatorRef {
  code: string;
  breakdown_of: string | null;
  sex: string | null;
  area: string | null;
}

/**
 * The reference lookups every request makes (indicator codes with their breakdown aliases, country
 * codes with their ISO 3166 alpha-2 / M49 aliases), read once per store into two small maps instead
 * of one query per code. A code the maps do not know is looked up in the store as before, so codes
 * added later (a load brings new indicators) are found, and the maps are then read again.
 */
interface ReferenceMaps {
  indicators: Map<string, IndicatorRef>;
  /** Upper-cased code → the first indicator with that code in code order. */
  indicatorsUpper: Map<string, IndicatorRef>;
  /** Alias code (as stored, upper case) → ISO 3166 alpha-3. */
  geoAliases: Map<string, string>;
}

const referenceMaps = new WeakMap<Store, Promise<ReferenceMaps>>();

function maps(store: Store): Promise<ReferenceMaps> {
  let m = referenceMaps.get(store);
  if (!m) {
    m = (async () => {
      const rows = await store.db.all<IndicatorRef & Record<string, unknown>>(
        'SELECT code, breakdown_of, sex, area FROM indicators ORDER BY code',
      );
      const indicators = new Map<string, IndicatorRef>();
      const indicatorsUpper = new Map<string, IndicatorRef>();
      for (const r of rows) {
        indicators.set(r.code, r);
        const up = r.code.toUpperCase();
        if (!indicatorsUpper.has(up)) indicatorsUpper.set(up, r);
      }
      const aliases = await store.db.all<{ code: string; iso3: string }>(
        'SELECT code, iso3 FROM geo_aliases',
      );
      return { indicators, indicatorsUpper, geoAliases: new Map(aliases.map((a) => [a.code, a.iso3])) };
    })();
    referenceMaps.set(store, m);
    // A failed read (e.g. a store without its schema yet) is not kept.
    m.catch(() => referenceMaps.delete(store));
  }
  return m;
}

/** Forgets the reference maps of a store (they are read again on next use). */
export function forgetReferenceMaps(store: Store): void {
  referenceMaps.delete(store);
}

/** Printable ASCII only: there JavaScript's and DuckDB's upper() agree. */
const ASCII = /^[\x20-\x7e]*$/;

function toResolved(row: IndicatorRef): ResolvedIndicator {
  if (!row.breakdown_of) return { code: row.code, dims: {} };
  const dims: Partial<Record<Dimension, string>> = {};
  if (row.sex) dims.sex = row.sex;
  if (row.area) dims.area = row.area;
  return { code: row.breakdown_of, dims };
}

/** Resolves a code given by a user, following breakdown aliases; unknown codes are an error. */
export async function resolveIndicator(store: Store, code: string): Promise<ResolvedIndicator> {
  if (ASCII.test(code)) {
    const m = await maps(store);
    const hit = m.indicators.get(code) ?? m.indicatorsUpper.get(code.toUpperCase());
    if (hit) return toResolved(hit);
  }
  const row = await store.db.one<IndicatorRef & Record<string, unknown>>(
    'SELECT code, breakdown_of, sex, area FROM indicators WHERE code = ? OR upper(code) = upper(?) ORDER BY code = ? DESC LIMIT 1',
    [code, code, code],
  );
  if (!row) {
    const near = await store.db.all<{ code: string }>(
      `SELECT code FROM indicators ORDER BY jaro_winkler_similarity(upper(code), upper(?)) DESC LIMIT 3`,
      [code],
    );
    throw notFound(
      `unknown indicator ${code}${near.length ? ` (did you mean ${near.map((n) => n.code).join(', ')}?)` : ''}`,
      {
        field: 'indicator',
      },
    );
  }
  // Known to the store but not to the maps: added since they were read.
  if (ASCII.test(code)) forgetReferenceMaps(store);
  return toResolved(row);
}

export interface SeriesQuery {
  indicator: string;
  geo?: string[];
  from?: number;
  to?: number;
  /** Dimension filters, e.g. { sex: 'F' }. Unfiltered dimensions default to the total (_T). Use '*' for all. */
  dims?: Partial<Record<Dimension | 'breakdown', string>>;
  limit?: number;
  offset?: number;
}

export interface SeriesRow {
  indicator: string;
  geo: string;
  name: string | null;
  period: string;
  year: number;
  sex: string;
  area: string;
  age: string;
  quintile: string;
  breakdown: string;
  value: number;
  flags: string | null;
  dataset: number;
  vintage: string | null;
  source: string | null;
}

export async function resolveGeos(store: Store, codes: string[]): Promise<string[]> {
  const out: string[] = [];
  let m: ReferenceMaps | undefined;
  for (const c of codes) {
    if (ASCII.test(c)) {
      m ??= await maps(store);
      // As the query below: upper(trim(code)), DuckDB's trim removing spaces only.
      const hit = m.geoAliases.get(c.replace(/^ +| +$/g, '').toUpperCase());
      if (hit) {
        out.push(hit);
        continue;
      }
    }
    const iso3 = await store.db.value<string>('SELECT iso3 FROM geo_aliases WHERE code = upper(trim(?))', [
      c,
    ]);
    if (!iso3)
      throw notFound(`unknown country code ${c} (expected ISO 3166 alpha-3, alpha-2 or M49)`, {
        field: 'geo',
      });
    if (ASCII.test(c)) forgetReferenceMaps(store);
    out.push(iso3);
  }
  return out;
}

export async function querySeries(store: Store, q: SeriesQuery, lang: Lang = 'en'): Promise<SeriesRow[]> {
  const ind = await resolveIndicator(store, q.indicator);
  const where: string[] = ['o.indicator = ?'];
  const params: Params = [ind.code];
  if (q.geo?.length) {
    const geos = await resolveGeos(store, q.geo);
    where.push(`o.geo IN (${geos.map(() => '?').join(', ')})`);
    params.push(...geos);
  }
  if (q.from !== undefined) {
    where.push('o.year >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('o.year <= ?');
    params.push(q.to);
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to)
    throw invalid(`--from ${q.from} is after --to ${q.to}`, { field: 'from' });
  const dims: Partial<Record<Dimension | 'breakdown', string>> = { ...ind.dims, ...q.dims };
  for (const d of [...DIMENSIONS, 'breakdown'] as const) {
    const v = dims[d] ?? '_T';
    if (v === '*') continue;
    where.push(`o.${d} = ?`);
    params.push(v);
  }
  const limit = q.limit ?? 1_000_000;
  const offset = q.offset ?? 0;
  return store.db.all<SeriesRow & Record<string, unknown>>(
    `SELECT ? AS indicator, o.geo, coalesce(g.name_${lang}, g.name_en) AS name, o.period, o.year, o.sex, o.area,
       o.age, o.quintile, o.breakdown, o.value, o.flags, o.dataset, d.vintage, d.source
     FROM obs o LEFT JOIN geos g ON g.iso3 = o.geo LEFT JOIN datasets d ON d.id = o.dataset
     WHERE ${where.join(' AND ')}
     ORDER BY o.geo, o.period, o.sex, o.area, o.age, o.quintile, o.breakdown
     LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
    [q.indicator, ...params],
  );
}

export interface GroupRow {
  code: string;
  kind: string;
  name: string | null;
  members: number;
  source: string | null;
}

function dateFor(year: number | undefined): string {
  return year === undefined ? new Date().toISOString().slice(0, 10) : referenceDate(year);
}

export async function listGroups(
  store: Store,
  opts: { year?: number; lang?: Lang } = {},
): Promise<GroupRow[]> {
  const lang = opts.lang ?? 'en';
  const date = dateFor(opts.year);
  return store.db.all<GroupRow & Record<string, unknown>>(
    `SELECT g.code, g.kind, coalesce(g.name_${lang}, g.name_en) AS name,
       (SELECT count(DISTINCT m.geo) FROM memberships m WHERE m.group_code = g.code
          AND (m.valid_from IS NULL OR m.valid_from <= ?::DATE) AND (m.valid_to IS NULL OR ?::DATE < m.valid_to)) AS members,
       g.source
     FROM groups g ORDER BY g.kind, g.code`,
    [date, date],
  );
}

export async function resolveGroup(store: Store, name: string): Promise<string> {
  const code = await store.db.value<string>(
    `SELECT code FROM groups WHERE upper(code) = upper(?) OR upper(name_en) = upper(?) ORDER BY upper(code) = upper(?) DESC LIMIT 1`,
    [name, name, name],
  );
  if (!code) {
    const near = await store.db.all<{ code: string }>(
      `SELECT code FROM groups ORDER BY jaro_winkler_similarity(upper(code), upper(?)) DESC LIMIT 3`,
      [name],
    );
    throw notFound(
      `unknown group ${name}${near.length ? ` (did you mean ${near.map((n) => n.code).join(', ')}?)` : ''}`,
      {
        field: 'group',
      },
    );
  }
  return code;
}

export interface MemberRow {
  geo: string;
  name: string | null;
  m49: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

/** Members of a group as at mid-year of `year` (default: today). */
export async function groupMembers(
  store: Store,
  group: string,
  opts: { year?: number; lang?: Lang } = {},
): Promise<MemberRow[]> {
  const code = await resolveGroup(store, group);
  const lang = opts.lang ?? 'en';
  const date = dateFor(opts.year);
  return store.db.all<MemberRow & Record<string, unknown>>(
    `SELECT m.geo, coalesce(g.name_${lang}, g.name_en) AS name, g.m49,
       strftime(m.valid_from, '%Y-%m-%d') AS valid_from, strftime(m.valid_to, '%Y-%m-%d') AS valid_to
     FROM memberships m JOIN geos g ON g.iso3 = m.geo
     WHERE m.group_code = ? AND (m.valid_from IS NULL OR m.valid_from <= ?::DATE)
       AND (m.valid_to IS NULL OR ?::DATE < m.valid_to)
     ORDER BY m.geo`,
    [code, date, date],
  );
}

export interface DatasetRow {
  id: number;
  source: string | null;
  file: string;
  format: string;
  vintage: string | null;
  licence: string | null;
  rows: number;
  rejected: number;
  missing: number;
  loaded_at: string;
  checksum: string;
}

export async function listDatasets(store: Store): Promise<DatasetRow[]> {
  return store.db.all<DatasetRow & Record<string, unknown>>(
    `SELECT id, source, file, format, vintage, licence, rows, rejected, missing,
       strftime(loaded_at, '%Y-%m-%dT%H:%M:%S') AS loaded_at, checksum
     FROM datasets ORDER BY id`,
  );
}
