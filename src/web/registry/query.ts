/**
 * Registry search parameters from an address's query string, shared by the browse page and the
 * JSON API: `q`, `kind`, `sdg`, `country`, `region`, `sector`, `licence` (each repeated or
 * comma-separated), `readiness_min`, `readiness_max`, `sort`, `page`, `page_size`. Values are
 * checked by the library's schema (search.ts); a bad one is an invalid_input error naming the
 * parameter as it appears in the address (`readiness_min`, not `readiness.min`).
 */
import { PontisError } from '../../core/errors.ts';
import type { Lang } from '../../registry/model.ts';
import { type SearchQuery, SearchQuerySchema } from '../../registry/search.ts';
import { parseInput } from '../../registry/validate.ts';

export type RawQuery = Record<string, string | string[] | undefined>;

export const SEARCH_PARAMS = [
  'q',
  'kind',
  'sdg',
  'country',
  'region',
  'sector',
  'licence',
  'readiness_min',
  'readiness_max',
  'sort',
  'page',
  'page_size',
] as const;

const LIST_PARAMS = ['kind', 'sdg', 'country', 'region', 'sector', 'licence'] as const;

const bad = (parameter: string, message: string) =>
  new PontisError('invalid_input', message, { field: parameter });

/** Every value of a list parameter (repeated and/or comma-separated), blanks dropped. */
export function listOf(v: string | string[] | undefined): string[] {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [
    ...new Set(
      all
        .flatMap((s) => String(s).split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function one(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw bad(name, `give '${name}' once`);
    return v[0];
  }
  return v;
}

function int(q: RawQuery, name: string): number | undefined {
  const v = one(q, name)?.trim();
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,6}$/.test(v)) throw bad(name, `'${name}' is a whole number`);
  return Number(v);
}

/** The parameter a schema path is about (`readiness.min` → `readiness_min`). */
function parameterOf(path: string | undefined): string | undefined {
  if (!path) return undefined;
  if (path.startsWith('readiness.max')) return 'readiness_max';
  if (path.startsWith('readiness')) return 'readiness_min';
  if (path === 'pageSize') return 'page_size';
  return path.split('.')[0];
}

/**
 * Parses and validates a search: unknown parameters are refused (naming them) when `strict`;
 * the page ignores them (a language switch keeps the query string as it is).
 */
export function searchQueryFrom(q: RawQuery, lang: Lang, o: { strict?: boolean; pageSize?: number } = {}) {
  if (o.strict)
    for (const k of Object.keys(q))
      if (!(SEARCH_PARAMS as readonly string[]).includes(k)) throw bad(k, `unknown parameter '${k}'`);
  const sq: SearchQuery = { lang };
  const text = one(q, 'q');
  if (text !== undefined && text.trim() !== '') sq.q = text;
  for (const name of LIST_PARAMS) {
    const values = listOf(q[name]);
    if (values.length === 0) continue;
    if (name === 'sdg') {
      const goals = values.map((v) => (/^\d{1,2}$/.test(v) ? Number(v) : Number.NaN));
      if (goals.some((g) => !Number.isInteger(g))) throw bad('sdg', "'sdg' is a goal number from 1 to 17");
      sq.sdg = goals;
    } else (sq as Record<string, unknown>)[name] = values;
  }
  const min = int(q, 'readiness_min');
  const max = int(q, 'readiness_max');
  if (min !== undefined || max !== undefined)
    sq.readiness = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  const sort = one(q, 'sort');
  if (sort !== undefined && sort !== '') sq.sort = sort as SearchQuery['sort'];
  const page = int(q, 'page');
  if (page !== undefined) sq.page = page;
  const size = int(q, 'page_size') ?? o.pageSize;
  if (size !== undefined) sq.pageSize = size;
  try {
    parseInput(SearchQuerySchema, sq);
  } catch (e) {
    if (e instanceof PontisError) throw bad(parameterOf(e.location.field) ?? 'q', e.message);
    throw e;
  }
  return sq;
}
