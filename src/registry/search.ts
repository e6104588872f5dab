/**
 * Registry search: full text in the six UN languages, facets, sort by relevance or date. Only
 * published records, in their public view (publicView: contact details only with consent).
 *
 *   const r = await searchRecords(db, { q: 'solar irrigation', lang: 'fr', sdg: [7], licence: ['open'] });
 *   r.total; r.hits[0].record; r.hits[0].snippet; r.facets.country   // [{ value: 'KEN', count: 12 }, …]
 *
 * How a query `q` matches (the `mode` of the result):
 *  - `fulltext`: websearch_to_tsquery (quotes for phrases, `or`, `-word`) in each of the five stemmed
 *    configurations — english, french, spanish, russian, arabic — OR'ed together, against the
 *    records' search_vec (migration 1), so a French query is stemmed as French whatever the UI
 *    language. GIN index records_search_vec.
 *  - `substring`: a query with Chinese (or other CJK) characters. pg_trgm treats a run of Han
 *    characters as one word on both backends (see migration 2), so similarity is 0 for a
 *    two-character term inside a longer run; each whitespace-separated term must instead occur in
 *    search_text (LIKE '%term%', search_text is lower-cased), narrowed by the records_cjk_grams
 *    index (every CJK character and adjacent pair) and the trigram index.
 *  - `fuzzy`: when full text matches nothing at all (before filters), each query word no published
 *    record contains is replaced by the most similar word one does (pg_trgm similarity ≥ 0.3 over
 *    the search_words dictionary, migration 4; nearest first through a GiST index, migration 7)
 *    and the corrected text (`corrected`) is searched as full text. (A trigram match of q
 *    against the records' whole text, q <% search_text, took 1–2 s on 10,000 records.)
 *  - `all`: no query (or only spaces): every published record, newest first by default.
 *
 * Relevance (the `score` of a hit; sort 'relevance' orders by it, then newest first, then id):
 *  - fulltext (and fuzzy, for the corrected query): ts_rank_cd({D 0.1, C 0.2, B 0.4, A 1.0},
 *    search_vec, query, 1) — cover density, titles (A) weigh 2.5× summaries (B), divided by
 *    1 + log(document length);
 *  - substring: 1 when every term is in a title, 0.5 when a term is only in a summary;
 *  - either multiplied by 1.5 when the record has a title in the UI language (`lang`): the reader's
 *    language first among comparable matches. (A first version boosted records matching the query
 *    stemmed in the UI language's configuration; that tests search_vec a second time per match,
 *    and detoasting search_vec is most of the cost of a broad query.)
 *  - all: 0 (sort 'relevance' then means newest first).
 * Sort 'date' = published_at, newest first.
 *
 * Facets (kind, sdg, country, region, sector, readiness, licence) count the records that match `q`
 * and every filter except the facet's own ("disjunctive" facets): with country = [KEN] selected, the
 * country facet still lists every other country's count, so a second country can be added; the
 * other facets count only Kenyan records. Values are sorted by count, then value; a selected value
 * with no record is listed with count 0. The licence facet has the SPDX ids plus the pseudo-value
 * `open` (records with a licence in OPEN_LICENCES). The sdg facet and filter use the records' `sdgs`
 * goals column (the goals the author confirmed).
 *
 * Bounded work (SEARCH_LIMITS; at 100,000 records a single word matches up to 15% of them, and
 * counting, faceting and ranking every match took 0.1–1 s):
 *  - candidates: at most `candidates` (500) published records that match and pass every filter,
 *    and, for each filter, as many that fail that filter only (for its facet's disjunctive
 *    counts), taken in index order. With more, `totalIsLowerBound` is true and `total` and the
 *    facet counts are counts over the candidates examined (lower bounds; "at least N"). Filters
 *    are tests on the records' tags (search_tags, migration 7), which the full-text and the
 *    character-gram GIN indexes hold beside the words, so each scan reads the records that match
 *    and pass its filters, not every match of the words.
 *  - relevance: candidates are ordered by ts_rank_cd over `title_vec` (titles only, migration 6,
 *    small and never compressed) × the language boost; when the candidates passing every filter
 *    were capped, up to `titleCandidates` (200) title matches passing every filter are added. The best `rerank`
 *    (100, or up to the page shown) get the full score above and are ordered by it. Below the caps
 *    the order differs from ranking every match by the full score only beyond the first 100 hits.
 *  - sort 'date' (and browsing): the page is exact, newest matching records first through the
 *    index records_published_order; only the total and facets are bounded.
 *  - browsing without a query or filter reads the counts from search_facet_totals (migration 6,
 *    kept by statement-level triggers): exact, no scan; with one filter, that filter's own facet
 *    comes from there too.
 *
 * One SQL statement gives the total, the page and every facet (when full text finds nothing: one
 * more to correct the words, and one for the corrected query). Every value is a parameter; the SQL's structure is
 * assembled only from fixed fragments chosen by which filters are present.
 *
 * Snippets are plain text, never HTML: `{ text, highlights: [[start, end], …] }` with offsets in
 * UTF-16 code units (JavaScript string indices) of the matched words; the web layer escapes the text
 * and wraps the ranges (e.g. in <mark>). Full text uses ts_headline with control-character markers
 * (removed from the record text first) that are turned into offsets here.
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import {
  LANGS,
  type Lang,
  OPEN_LICENCES,
  RECORD_KINDS,
  type RecordKind,
  SECTORS,
  type Sector,
  SPDX_ID,
} from './model.ts';
import { publicView, RECORD_COLUMNS, type RecordRow, type StoredRecord, toRecord } from './records.ts';
import { parseInput } from './validate.ts';

export const SORTS = ['relevance', 'date'] as const;
export const FACETS = ['kind', 'sdg', 'country', 'region', 'sector', 'readiness', 'licence'] as const;
export type Facet = (typeof FACETS)[number];

/** Longest query text accepted (characters). */
export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 100;

export const SearchQuerySchema = z
  .object({
    q: z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`).optional(),
    lang: z.enum(LANGS).default('en'),
    kind: z.array(z.enum(RECORD_KINDS)).max(RECORD_KINDS.length).optional(),
    sdg: z.array(z.number().int().min(1).max(17)).max(17).optional(),
    country: z
      .array(z.string().regex(/^[A-Z]{3}$/, 'an ISO 3166-1 alpha-3 code in capitals'))
      .max(260)
      .optional(),
    region: z
      .array(z.string().regex(/^M49_[0-9]{3}$/, "an M49 region code such as 'M49_014'"))
      .max(100)
      .optional(),
    sector: z.array(z.enum(SECTORS)).max(SECTORS.length).optional(),
    readiness: z
      .object({
        min: z.number().int().min(1).max(9).optional(),
        max: z.number().int().min(1).max(9).optional(),
      })
      .strict()
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
        message: 'min must not exceed max',
      })
      .optional(),
    licence: z
      .array(
        z.union([
          z.literal('open'),
          z.string().max(80).regex(SPDX_ID, "an SPDX licence identifier, or 'open'"),
        ]),
      )
      .max(50)
      .optional(),
    sort: z.enum(SORTS).default('relevance'),
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  })
  .strict();

export interface SearchQuery {
  q?: string;
  /** The UI language: preferred in ranking and for snippets (default 'en'). */
  lang?: Lang;
  kind?: RecordKind[];
  sdg?: number[];
  country?: string[];
  region?: string[];
  sector?: Sector[];
  readiness?: { min?: number; max?: number };
  /** SPDX ids; 'open' stands for every licence in OPEN_LICENCES. */
  licence?: string[];
  sort?: (typeof SORTS)[number];
  /** 1-based. */
  page?: number;
  /** 1–100, default 20. */
  pageSize?: number;
}

/** Plain text with highlighted ranges [start, end) in UTF-16 code units. */
export interface Snippet {
  lang: Lang;
  text: string;
  highlights: [number, number][];
}

export interface SearchHit {
  record: StoredRecord;
  score: number;
  snippet: Snippet;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  mode: 'all' | 'fulltext' | 'substring' | 'fuzzy';
  /** In mode 'fuzzy': the query as corrected and searched ("showing results for …"). */
  corrected?: string;
  total: number;
  /**
   * True when the query had more candidates than search examines (SEARCH_LIMITS.candidates):
   * `total` and every facet count are then lower bounds ("at least N"), counted over the
   * candidates examined, and relevance ranks those candidates and the title matches only.
   */
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
  hits: SearchHit[];
  facets: Record<Facet, FacetCount[]>;
}

const STEMMED = ['english', 'french', 'spanish', 'russian', 'arabic'] as const;

/** The prefix of each facet's values in search_tags (migration 7). */
const TAG_PREFIX: Record<Facet, string> = {
  kind: 'k',
  sdg: 's',
  country: 'c',
  region: 'g',
  sector: 'x',
  readiness: 'r',
  licence: 'l',
};

/** Han, kana, hangul: scripts written without spaces between words. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+/g;
/** A term that is one or two CJK characters: its gram (records_search_grams) is the exact test. */
const CJK_SHORT = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{1,2}$/;

// Snippet markers: control characters ts_headline accepts as StartSel/StopSel; removed from the
// record text beforehand, so every marker in the output is ours.
const START = '\u0001';
const STOP = '\u0002';
const SNIPPET_CHARS = 280;

/** Query text as searched: well-formed, no control characters, spaces collapsed. */
export function normaliseQueryText(q: string | undefined): string {
  if (q === undefined) return '';
  return (
    q
      // Lone surrogates (not UTF-8 encodable) become U+FFFD.
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Separates websearch negations (`-word`, `-"a phrase"` at the start or after a space) from the
 * rest of the query: `solar -clinics` → { positive: 'solar', negative: 'clinics' }.
 */
export function splitNegations(q: string): { positive: string; negative: string } {
  const negated: string[] = [];
  const positive = q
    .replace(/(^|\s)-+("[^"]*"?|[^\s"]+)/g, (_m, pre: string, item: string) => {
      negated.push(item);
      return pre;
    })
    .trim();
  return { positive, negative: negated.join(' or ') };
}

/** Terms of a CJK query: whitespace-separated, quotes and search operators dropped, lower-cased. */
function substringTerms(q: string): string[] {
  const terms = q
    .toLowerCase()
    .split(' ')
    .map((t) => t.replace(/^[-+"'“”«»「」『』（）()]+|["'“”«»「」『』（）()]+$/g, ''))
    .filter((t) => t.length > 0 && t !== 'or');
  return [...new Set(terms)].slice(0, 8);
}

/** CJK characters and adjacent pairs a term needs (matching the records_cjk_grams index). */
function cjkGrams(terms: readonly string[]): string[] {
  const grams = new Set<string>();
  for (const t of terms)
    for (const run of t.match(CJK_RUN) ?? []) {
      const chars = [...run];
      if (chars.length === 1) grams.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
    }
  return [...grams];
}

const likePattern = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/** Language of the text shown for a record (UI language, else original, else the first present). */
const displayLang = (col: string, lang: string) => `CASE WHEN r.${col} ? ${lang} THEN ${lang}
  WHEN r.${col} ? r.original_lang THEN r.original_lang
  ELSE (SELECT k FROM jsonb_object_keys(r.${col}) AS k
        ORDER BY array_position(ARRAY['ar','zh','en','fr','ru','es'], k) LIMIT 1) END`;

const CONFIG_OF_LANG = `CASE sl WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
  WHEN 'ru' THEN 'russian' WHEN 'ar' THEN 'arabic' ELSE 'simple' END::regconfig`;

interface Row {
  matched: number;
  total: number;
  capped: boolean;
  hits: (RecordRow & { score: number; sl: Lang; snip: string })[] | null;
  facets: [Facet, string, number][] | null;
}

export async function searchRecords(
  db: Queryable,
  query: SearchQuery,
  limits: SearchLimits = SEARCH_LIMITS,
): Promise<SearchResult> {
  // Query text is searched, never stored: its control characters (NUL among them, which
  // parseInput refuses in stored text) are removed by normaliseQueryText rather than refused.
  const input = typeof query?.q === 'string' ? { ...query, q: query.q.replaceAll('\u0000', ' ') } : query;
  const sq = parseInput(SearchQuerySchema, input);
  const q = normaliseQueryText(sq.q);
  const mode: SearchResult['mode'] = q === '' ? 'all' : CJK.test(q) ? 'substring' : 'fulltext';
  const res = await runSearch(db, sq, q, mode, limits);
  if (mode !== 'fulltext' || res.matched > 0) return res.result;
  // Nothing at all: correct the words by trigram similarity to published records' words.
  const corrected = await correctWords(db, q);
  if (corrected === null) return res.result;
  return { ...(await runSearch(db, sq, corrected, 'fuzzy', limits)).result, corrected };
}

/**
 * Each word of `q` (3–40 letters) that no published record contains, replaced by the most similar
 * word that one does (pg_trgm similarity ≥ 0.3, the `%` operator's default threshold); null when no
 * word changes. Negations and quotes are kept as they are.
 */
async function correctWords(db: Queryable, q: string): Promise<string | null> {
  const words = [
    ...new Set((q.toLowerCase().match(/[\p{L}\p{M}]{3,40}/gu) ?? []).filter((w) => w !== 'or')),
  ].slice(0, 8);
  if (words.length === 0) return null;
  const rows = await db.query<{ word: string; best: string | null }>(
    `SELECT t.word, CASE WHEN EXISTS (SELECT 1 FROM search_words AS s WHERE s.word = t.word) THEN NULL
       ELSE (SELECT s.word FROM search_words AS s WHERE s.word % t.word
             ORDER BY s.word <-> t.word, s.word LIMIT 1) END AS best
     FROM unnest($1::text[]) AS t (word)`,
    [words],
  );
  const fix = new Map(rows.filter((r) => r.best !== null).map((r) => [r.word, r.best!]));
  if (fix.size === 0) return null;
  return q.replace(/[\p{L}\p{M}]{3,40}/gu, (w) => fix.get(w.toLowerCase()) ?? w);
}

export type Parsed = z.output<typeof SearchQuerySchema>;

async function runSearch(
  db: Queryable,
  sq: Parsed,
  q: string,
  mode: SearchResult['mode'],
  limits: SearchLimits,
): Promise<{ matched: number; result: SearchResult }> {
  const shares = await filterShares(db, sq);
  const { sql, params, terms } = searchSql(sq, q, mode, limits, shares);
  const rows = await db.query<Row>(sql, params);
  const row = rows[0]!;
  const hits: SearchHit[] = (row.hits ?? []).map((h) => ({
    record: publicView(toRecord(h)),
    score: Number(h.score),
    snippet:
      mode === 'fulltext' || mode === 'fuzzy'
        ? markedSnippet(h.sl, h.snip)
        : substringSnippet(h.sl, h.snip ?? '', terms),
  }));
  return {
    matched: row.matched,
    result: {
      mode,
      total: row.total,
      totalIsLowerBound: row.capped === true,
      page: sq.page,
      pageSize: sq.pageSize,
      hits,
      facets: facetCounts(row.facets ?? [], sq),
    },
  };
}

/**
 * Bounds on the work of one search (see "Bounded work" in the module comment). Exported for tests
 * and the benchmark; searchRecords uses SEARCH_LIMITS.
 */
export interface SearchLimits {
  /** Candidates examined (counted, faceted, ranked by title): the first found in index order. */
  candidates: number;
  /** Title matches added when `candidates` is reached (full text, relevance sort). */
  titleCandidates: number;
  /** Candidates ranked by the full ts_rank_cd (the best by title rank, at least the pages so far). */
  rerank: number;
  /**
   * A filter accepting at most this share of the published records is looked up in the index
   * (search_tags); a broader one is tested on the rows. Only the cost depends on it, not the result.
   */
  indexedShare: number;
}

export const SEARCH_LIMITS: SearchLimits = {
  candidates: 500,
  titleCandidates: 200,
  rerank: 100,
  indexedShare: 0.2,
};

/** The columns of the array facets. */
const COLUMN: Record<Facet, string> = {
  kind: 'kind',
  sdg: 'sdgs',
  country: 'countries',
  region: 'regions',
  sector: 'sectors',
  readiness: 'readiness',
  licence: 'licence',
};

/** The values each filter of the query accepts (readiness as its range, 'open' as its licences). */
function filterValues(sq: Parsed): Partial<Record<Facet, (string | number)[]>> {
  const out: Partial<Record<Facet, (string | number)[]>> = {};
  if (sq.kind) out.kind = [...sq.kind];
  if (sq.sdg) out.sdg = [...sq.sdg];
  if (sq.country) out.country = [...sq.country];
  if (sq.region) out.region = [...sq.region];
  if (sq.sector) out.sector = [...sq.sector];
  if (sq.readiness) {
    const { min = 1, max = 9 } = sq.readiness;
    out.readiness = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  if (sq.licence)
    out.licence = [...new Set(sq.licence.flatMap((l) => (l === 'open' ? [...OPEN_LICENCES] : [l])))];
  return out;
}

/**
 * For each filter of the query, the share of published records with one of its values (at most 1;
 * a record with two selected countries counts twice), from search_facet_totals: what decides
 * whether the filter is looked up in the index or tested on the rows (searchSql). Exported for the
 * benchmark's EXPLAIN.
 */
export async function filterShares(db: Queryable, sq: Parsed): Promise<Partial<Record<Facet, number>>> {
  const values = filterValues(sq);
  const present = FACETS.filter((f) => values[f] !== undefined);
  if (present.length === 0) return {};
  const rows = await db.query<{ facet: string; value: string; n: number }>(
    `SELECT facet, value, n FROM search_facet_totals WHERE facet = 'total' OR facet = ANY($1::text[])`,
    [present],
  );
  const total = rows.find((r) => r.facet === 'total')?.n ?? 0;
  const out: Partial<Record<Facet, number>> = {};
  for (const f of present) {
    const chosen = new Set(values[f]!.map(String));
    const n = rows.filter((r) => r.facet === f && chosen.has(r.value)).reduce((a, r) => a + r.n, 0);
    out[f] = total > 0 ? Math.min(1, n / total) : 0;
  }
  return out;
}

/**
 * The statement searchRecords runs for a validated query, normalised text and mode (exported for
 * the benchmark's EXPLAIN ANALYZE).
 */
export function searchSql(
  sq: Parsed,
  q: string,
  mode: SearchResult['mode'],
  limits: SearchLimits = SEARCH_LIMITS,
  shares?: Partial<Record<Facet, number>>,
): { sql: string; params: unknown[]; terms: string[] } {
  const p = new Params();
  const lang = p.add(sq.lang, '::text');
  const from: string[] = ['records r'];
  const where: string[] = ["r.status = 'published'"];
  // The match condition alone, with the tsquery written out (not from the tsq CTE) so that the
  // planner can estimate its selectivity (the exact page sorted by date).
  const match: string[] = [];
  const pageMatch: string[] = [];
  let fullScore = '0::float8';
  let titleScore = '0::float8';
  let tsqCte = '';
  let titleWhere = '';
  const marks = p.add(START + STOP, '::text');
  let snippetSql = `left(translate(coalesce(r.summary->>x.sl, ''), ${marks}, ''), ${SNIPPET_CHARS * 2})`;
  let terms: string[] = [];

  if (mode === 'fulltext' || mode === 'fuzzy') {
    // A negated word must be absent under every stemming: (OR of the configurations' queries
    // without the negations) AND NOT (OR of the configurations' queries of the negated words).
    const { positive, negative } = splitNegations(q);
    const qt = p.add(positive, '::text');
    const anyConfig = (x: string) => STEMMED.map((c) => `websearch_to_tsquery('${c}', ${x})`).join(' || ');
    const nt = negative ? p.add(negative, '::text') : '';
    const neg = negative ? ` && !! (${anyConfig(nt)})` : '';
    tsqCte = `tsq AS MATERIALIZED (SELECT (${anyConfig(qt)})${neg} AS tq),`;
    from.push('tsq');
    where.push('r.search_vec @@ tsq.tq');
    match.push(`r.search_vec @@ ((${anyConfig(qt)})${neg})`);
    pageMatch.push(...match);
    fullScore = `ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', r.search_vec, tsq.tq, 1)`;
    titleScore = `ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', r.title_vec, tsq.tq, 1)`;
    // A title match is a match unless a negated word is in the summary.
    titleWhere = `r.title_vec @@ tsq.tq${negative ? ' AND r.search_vec @@ tsq.tq' : ''}`;
    snippetSql = `ts_headline(${CONFIG_OF_LANG}, translate(coalesce(r.summary->>x.sl, ''), ${marks}, ''),
      (SELECT tq FROM tsq), ${p.add(`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`)})`;
  } else if (mode === 'substring') {
    terms = substringTerms(q);
    const grams = cjkGrams(terms);
    if (grams.length > 0) where.push(`pontis_cjk_grams(r.search_text) @> ${p.add(grams, '::text[]')}`);
    const pats = terms.map((t) => p.add(likePattern(t)));
    // The LIKE test is written on an expression no index covers: otherwise the planner prefers the
    // trigram index (records_search_trgm, without the filters) and runs pontis_cjk_grams on every
    // row it returns. The gram index (with the filters' tags, migration 7) narrows, LIKE checks;
    // for a term of one or two CJK characters the gram itself is the exact test (the index is not
    // lossy for @>), so such terms read no text at all.
    terms.forEach((t, i) => {
      if (!CJK_SHORT.test(t)) where.push(`(r.search_text || '') LIKE ${pats[i]}`);
    });
    match.push(...where.slice(1));
    // The exact date-sorted page runs only when matches are dense: it tests LIKE along the date
    // index (pontis_cjk_grams per row would re-split the whole text).
    pageMatch.push(...pats.map((x) => `r.search_text LIKE ${x}`));
    const titles = `lower(concat_ws(' ', r.title->>'en', r.title->>'fr', r.title->>'es', r.title->>'ru', r.title->>'ar', r.title->>'zh'))`;
    if (pats.length > 0)
      fullScore = `CASE WHEN ${pats.map((x) => `${titles} LIKE ${x}`).join(' AND ')} THEN 1 ELSE 0.5 END::float8`;
    titleScore = fullScore;
  }

  // The reader's language first: a record with a title in the UI language weighs 1.5×.
  const boost = (s: string) =>
    mode === 'all' ? s : `(${s}) * CASE WHEN r.title ? ${lang} THEN 1.5 ELSE 1 END`;
  const score = boost(fullScore);
  const relevance = sq.sort === 'relevance' && mode !== 'all';
  const rerank = relevance && (mode === 'fulltext' || mode === 'fuzzy');

  // Filter flags, one per facet present in the query (whitelisted fragments; values as parameters).
  // A selective filter is a test on search_tags (migration 7: 'k:offer', 's:7', 'c:KEN',
  // 'g:M49_014', 'x:energy', 'r:7', 'l:MIT'), which the text indexes hold beside the words: the GIN
  // scan then reads only the records that match the words and pass it. A broad one (a share of the
  // records above `limits.indexedShare`, from the exact counts of search_facet_totals) is a test on
  // the column instead: the index would decode a posting list of tens of thousands of records,
  // while testing the rows the words give stops at the limit after a few hundred. The records found
  // are the same either way (tested); only the cost differs.
  const tag = (f: Facet, values: readonly (string | number)[]) =>
    `r.search_tags && ${p.add(
      values.map((v) => `${TAG_PREFIX[f]}:${v}`),
      '::text[]',
    )}`;
  const indexed = (share: number | undefined) => (share ?? 0) <= limits.indexedShare;
  const values = filterValues(sq);
  const flags: Partial<Record<Facet, string>> = {};
  const share = shares ?? {};
  for (const f of FACETS) {
    const v = values[f];
    if (v === undefined) continue;
    if (indexed(share[f])) flags[f] = tag(f, v);
    else if (f === 'kind' || f === 'licence') flags[f] = `r.${f} = ANY(${p.add(v, '::text[]')})`;
    else if (f === 'readiness') flags[f] = `r.readiness = ANY(${p.add(v, '::int[]')})`;
    else if (f === 'sdg') flags[f] = `r.sdgs && ${p.add(v, '::int[]')}`;
    else flags[f] = `r.${COLUMN[f]} && ${p.add(v, '::text[]')}`;
  }
  const present = FACETS.filter((f) => flags[f] !== undefined);
  // "Not this filter" as a positive tag test where a record has exactly one tag of the facet (kind;
  // readiness, 'r:none' when unset) and the other values are few, so that the index finds the
  // rows failing it; otherwise a NOT on the rows the index gives for the words and the other
  // filters.
  const notFlag = (f: Facet): string => {
    if ((f === 'kind' || f === 'readiness') && indexed(1 - (share[f] ?? 1))) {
      const chosen = new Set((values[f] ?? []).map(String));
      const all = f === 'kind' ? [...RECORD_KINDS] : ['none', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
      return tag(
        f,
        all.filter((x) => !chosen.has(x)),
      );
    }
    return `NOT coalesce(${flags[f]}, false)`;
  };
  const flagCols = present.map((f) => `coalesce(${flags[f]}, false) AS f_${f}`).join(',\n      ');
  const allBut = (skip: Facet | null) => {
    const c = present.filter((f) => f !== skip).map((f) => `f_${f}`);
    return c.length > 0 ? c.join(' AND ') : 'true';
  };
  const all = allBut(null);

  const dateOrder = 'published_at DESC NULLS LAST, id';
  const order = relevance ? `score DESC, ${dateOrder}` : dateOrder;
  const limit = p.add(sq.pageSize, '::int');
  const offset = p.add((sq.page - 1) * sq.pageSize, '::int');
  const open = p.add([...OPEN_LICENCES], '::text[]');
  const hitCols = RECORD_COLUMNS.split(',')
    .map((c) => `r.${c.trim()}`)
    .join(', ');

  // Sorted by date (or browsing), the page is exact whatever the bounds: published records in date
  // order (index records_published_order) that match and pass every filter. The filters come
  // first: of conditions of equal cost PostgreSQL tests them in the order written, and the tag
  // tests are cheap while the text test decompresses search_vec (or search_text).
  const exactPage = `page AS (SELECT r.id, 0::float8 AS score FROM records r
    WHERE ${["r.status = 'published'", ...present.map((f) => flags[f]!), ...pageMatch].join(' AND ')}
    ORDER BY r.${dateOrder.replace(', id', ', r.id')} LIMIT ${limit} OFFSET ${offset})`;
  const hitsCte = `hits AS (
    SELECT ${hitCols}, ${relevance ? 'page.score' : `${score} AS score`}, x.sl, ${snippetSql} AS snip
    FROM page JOIN records r ON r.id = page.id${tsqCte && !relevance ? ' CROSS JOIN tsq' : ''}
    CROSS JOIN LATERAL (SELECT ${displayLang('summary', lang)} AS sl) AS x
  )`;

  if (mode === 'all' && present.length === 0) {
    // Browsing everything: counts from search_facet_totals (migration 6), kept by triggers.
    const sql = `
  WITH ${exactPage},
  ${hitsCte}
  SELECT coalesce((SELECT n FROM search_facet_totals WHERE facet = 'total'), 0) AS matched,
    coalesce((SELECT n FROM search_facet_totals WHERE facet = 'total'), 0) AS total,
    false AS capped,
    (SELECT json_agg(h ORDER BY ${order}) FROM hits h) AS hits,
    (SELECT json_agg(json_build_array(f, v, n)) FROM (
      SELECT facet AS f, value AS v, n FROM search_facet_totals WHERE facet <> 'total' AND n > 0
      UNION ALL
      SELECT 'licence', 'open', sum(n)::int FROM search_facet_totals
        WHERE facet = 'licence' AND value = ANY(${open}) HAVING sum(n) > 0
    ) AS fc (f, v, n)) AS facets`;
    return { sql, params: p.values, terms };
  }

  const cols = `r.id, r.search_tags, r.licence, r.published_at,
      ${relevance ? boost(titleScore) : '0::float8'} AS score${flagCols ? `,\n      ${flagCols}` : ''}`;
  const cap = p.add(limits.candidates, '::int');
  const byCte = where;
  const passing = present.map((f) => flags[f]!);
  // Browsing with one filter: that filter's own facet counts every published record (totals).
  const ownFromTotals = mode === 'all' && present.length === 1 ? present[0]! : null;
  const withFailing = present.length > 0 && ownFromTotals === null;
  // Candidates passing every filter (the total, the page, all but the own facets), and, for each
  // filter, those failing that one only (the disjunctive counts of its facet), each up to the
  // limit: every scan gives the index the words and the filters it must pass, so it reads about as
  // many rows as it keeps. (The tsquery comes from the tsq CTE: written out, the planner estimates
  // a broad word's selectivity and prefers a sequential scan that stops at the limit, testing
  // search_vec row by row.)
  const cPass = `c AS MATERIALIZED (
    SELECT ${cols}
    FROM ${from.join(', ')}
    WHERE ${[...byCte, ...passing].join('\n      AND ')}
    LIMIT ${cap}
  )`;
  const cFail = withFailing
    ? `,
  cf AS MATERIALIZED (${present
    .map(
      (fail) => `(SELECT ${cols}
    FROM ${from.join(', ')}
    WHERE ${[...byCte, ...present.map((f) => (f === fail ? notFlag(f) : flags[f]!))].join('\n      AND ')}
    LIMIT ${cap})`,
    )
    .join('\n    UNION ALL ')}
  )`
    : '';
  const counted = withFailing ? 'SELECT id FROM c UNION ALL SELECT id FROM cf' : 'SELECT id FROM c';
  const cappedSql = `capped AS MATERIALIZED (SELECT (SELECT count(*) FROM c) >= ${cap}${
    withFailing
      ? ` OR coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM cf GROUP BY ${present
          .map((f) => `f_${f}`)
          .join(', ')}) AS b), 0) >= ${cap}`
      : ''
  } AS v)`;
  // Title matches passing every filter are added when the candidates passing every filter were
  // capped (relevance only: they are the likeliest best hits, and the first candidates in index
  // order are not ordered by relevance). Below that cap every such record is in c already.
  const titleTier = rerank
    ? `,
  t AS MATERIALIZED (
    SELECT ${cols}
    FROM records r, tsq
    WHERE (SELECT count(*) FROM c) >= ${cap} AND ${["r.status = 'published'", titleWhere, ...passing].join(
      '\n      AND ',
    )}
    LIMIT ${p.add(limits.titleCandidates, '::int')}
  )`
    : '';
  const mSql = [
    'SELECT * FROM c',
    ...(withFailing ? ['SELECT * FROM cf'] : []),
    ...(rerank ? ['SELECT * FROM t WHERE t.id NOT IN (SELECT id FROM c)'] : []),
  ].join(' UNION ALL ');
  // By date: when every candidate passing the filters was taken (fewer than the limit), the page
  // comes from them; otherwise from the exact query above (matches are then dense enough that the
  // date-ordered index scan stops early). The unused branch is never run (a one-time filter).
  const datePage = `page AS (
    SELECT id, 0::float8 AS score FROM (SELECT id, published_at FROM c ORDER BY ${dateOrder}
      LIMIT ${limit} OFFSET ${offset}) AS pc WHERE (SELECT count(*) FROM c) < ${cap}
    UNION ALL
    SELECT id, score FROM (${exactPage.replace(/^page AS \(/, '').replace(/\)$/, '')}) AS px
      WHERE (SELECT count(*) FROM c) >= ${cap})`;
  const pageSql = !relevance
    ? datePage
    : rerank
      ? // The best candidates by title rank (at least every row up to this page) get the full
        // ts_rank_cd, which decompresses search_vec: a bounded number of times per query.
        `top AS (SELECT id, published_at FROM m WHERE ${all} ORDER BY ${order}
    LIMIT ${p.add(Math.max(limits.rerank, sq.page * sq.pageSize), '::int')}),
  page AS (SELECT top.id, ${score} AS score FROM top JOIN records r ON r.id = top.id CROSS JOIN tsq
    ORDER BY score DESC, top.published_at DESC NULLS LAST, top.id LIMIT ${limit} OFFSET ${offset})`
      : `page AS (SELECT id, score FROM m WHERE ${all} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset})`;

  // All the facets in one pass over the candidates' tags (migration 7: 'k:offer' is kind offer,
  // 's:7' goal 7, …), each tag counted on the rows passing every filter but its own facet's.
  const countedFacets = FACETS.filter((f) => f !== ownFromTotals);
  const facetSql = [
    `SELECT CASE left(t, 1) ${countedFacets.map((f) => `WHEN '${TAG_PREFIX[f]}' THEN '${f}'`).join(' ')} END,
       substr(t, 3), count(*)::int
     FROM m, unnest(m.search_tags) AS t
     WHERE t <> 'r:none' AND CASE left(t, 1) ${countedFacets
       .map((f) => `WHEN '${TAG_PREFIX[f]}' THEN ${allBut(f)}`)
       .join(' ')} ELSE false END
     GROUP BY t`,
    ...(ownFromTotals === 'licence'
      ? []
      : [
          `SELECT 'licence', 'open', count(*)::int FROM m WHERE licence = ANY(${open}) AND ${allBut('licence')}
       HAVING count(*) > 0`,
        ]),
    ...(ownFromTotals === null
      ? []
      : [
          `SELECT facet, value, n FROM search_facet_totals WHERE facet = ${p.add(ownFromTotals, '::text')} AND n > 0`,
          ...(ownFromTotals === 'licence'
            ? [
                `SELECT 'licence', 'open', sum(n)::int FROM search_facet_totals
                   WHERE facet = 'licence' AND value = ANY(${open}) HAVING sum(n) > 0`,
              ]
            : []),
        ]),
  ].join('\n    UNION ALL ');

  const sql = `
  WITH ${tsqCte}
  ${cPass}${cFail},
  ${cappedSql}${titleTier},
  m AS MATERIALIZED (${mSql}),
  ${pageSql},
  ${hitsCte}
  SELECT (SELECT count(*)::int FROM (${counted}) AS x) AS matched,
    (SELECT count(*)::int FROM m WHERE ${all}) AS total,
    (SELECT v FROM capped) AS capped,
    (SELECT json_agg(h ORDER BY ${order}) FROM hits h) AS hits,
    (SELECT json_agg(json_build_array(f, v, n)) FROM (
    ${facetSql}
    ) AS fc (f, v, n)) AS facets`;

  return { sql, params: p.values, terms };
}

function facetCounts(rows: [Facet, string, number][], sq: Parsed): Record<Facet, FacetCount[]> {
  const out = Object.fromEntries(FACETS.map((f) => [f, new Map<string, number>()])) as Record<
    Facet,
    Map<string, number>
  >;
  for (const [f, v, n] of rows) out[f].set(String(v), n);
  // Selected values stay listed (count 0) so that the page can show them as ticked.
  const selected: Partial<Record<Facet, readonly (string | number)[]>> = {
    kind: sq.kind,
    sdg: sq.sdg,
    country: sq.country,
    region: sq.region,
    sector: sq.sector,
    licence: sq.licence,
  };
  for (const f of FACETS)
    for (const v of selected[f] ?? []) if (!out[f].has(String(v))) out[f].set(String(v), 0);
  const numeric = (f: Facet) => f === 'sdg' || f === 'readiness';
  return Object.fromEntries(
    FACETS.map((f) => [
      f,
      [...out[f]]
        .map(([value, count]) => ({ value, count }))
        .sort(
          (a, b) =>
            b.count - a.count || (numeric(f) ? Number(a.value) - Number(b.value) : compare(a.value, b.value)),
        ),
    ]),
  ) as Record<Facet, FacetCount[]>;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** ts_headline output with our markers → plain text and highlight ranges. */
export function markedSnippet(lang: Lang, marked: string): Snippet {
  let text = '';
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === START) start = text.length;
    else if (ch === STOP) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length]);
      start = -1;
    } else text += ch;
  }
  if (text.length > SNIPPET_CHARS) {
    const cut = cutAt(text, SNIPPET_CHARS);
    return { lang, text: `${text.slice(0, cut)}…`, highlights: highlights.filter(([, e]) => e <= cut) };
  }
  return { lang, text, highlights };
}

/** A snippet around the first occurrence of the terms, with every occurrence highlighted. */
export function substringSnippet(lang: Lang, source: string, terms: readonly string[]): Snippet {
  const lower = source.toLowerCase();
  const sameLength = lower.length === source.length;
  let from = 0;
  if (sameLength && terms.length > 0) {
    const first = Math.min(
      ...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0),
      Number.MAX_SAFE_INTEGER,
    );
    if (first !== Number.MAX_SAFE_INTEGER && first > SNIPPET_CHARS / 2) from = first - 40;
  }
  const end = from + SNIPPET_CHARS < source.length ? cutAt(source, from + SNIPPET_CHARS) : source.length;
  const prefix = from > 0 ? '…' : '';
  const body = source.slice(from, end);
  const text = `${prefix}${body}${end < source.length ? '…' : ''}`;
  const highlights: [number, number][] = [];
  if (sameLength) {
    const lowBody = lower.slice(from, end);
    for (const t of terms) {
      let i = lowBody.indexOf(t);
      while (i >= 0 && t.length > 0) {
        highlights.push([prefix.length + i, prefix.length + i + t.length]);
        i = lowBody.indexOf(t, i + t.length);
      }
    }
  }
  highlights.sort((a, b) => a[0] - b[0]);
  // Overlapping ranges (terms inside terms) merged.
  const merged: [number, number][] = [];
  for (const h of highlights) {
    const last = merged.at(-1);
    if (last && h[0] <= last[1]) last[1] = Math.max(last[1], h[1]);
    else merged.push([h[0], h[1]]);
  }
  return { lang, text, highlights: merged };
}

/** A cut position at or before `at`, at a space when one is near, never inside a surrogate pair. */
function cutAt(s: string, at: number): number {
  const space = s.lastIndexOf(' ', at);
  let cut = space > at - 30 && space > 0 ? space : at;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut -= 1;
  return cut;
}
