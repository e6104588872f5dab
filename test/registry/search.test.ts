import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { regionsOf } from '../../src/registry/geo.ts';
import { insertRecord, validateRecordInput } from '../../src/registry/records.ts';
import {
  SEARCH_LIMITS,
  type SearchQuery,
  type SearchResult,
  searchRecords,
} from '../../src/registry/search.ts';
import { BACKENDS } from './backends.ts';

/** Hand-built records: [key, input, status, published_at]. */
const RECORDS: [string, Record<string, unknown>, 'published' | 'draft' | 'archived', string][] = [
  [
    'en',
    {
      kind: 'offer',
      originalLang: 'en',
      title: { en: 'Solar irrigation pumps for smallholder farms' },
      summary: { en: 'Photovoltaic pumps for the irrigation of small farms in dry regions.' },
      sdgs: [2, 7],
      countries: ['KEN'],
      sectors: ['agriculture', 'energy'],
      readiness: 7,
      licence: 'MIT',
    },
    'published',
    '2024-01-10T09:00:00Z',
  ],
  [
    'fr',
    {
      kind: 'initiative',
      originalLang: 'fr',
      title: { fr: 'Énergie solaire pour les écoles rurales' },
      summary: { fr: 'Un programme qui installe des panneaux photovoltaïques dans les écoles des villages.' },
      sdgs: [4, 7],
      countries: ['SEN'],
      sectors: ['education', 'energy'],
      licence: 'CC-BY-4.0',
    },
    'published',
    '2024-03-01T09:00:00Z',
  ],
  [
    'es',
    {
      kind: 'practice',
      originalLang: 'es',
      title: { es: 'Gestión comunitaria del agua potable' },
      summary: { es: 'Comités locales que administran los sistemas de agua en comunidades rurales.' },
      sdgs: [6],
      countries: ['PER', 'BOL'],
      sectors: ['water'],
    },
    'published',
    '2023-06-15T09:00:00Z',
  ],
  [
    'ru',
    {
      kind: 'offer',
      originalLang: 'ru',
      title: { ru: 'Платформа дистанционного обучения для сельских школ' },
      summary: { ru: 'Открытая платформа для подготовки учителей и учеников в отдалённых районах.' },
      sdgs: [4],
      countries: ['KGZ'],
      sectors: ['education', 'ict'],
      readiness: 5,
      licence: 'LicenseRef-Proprietary',
    },
    'published',
    '2024-05-20T09:00:00Z',
  ],
  [
    'ar',
    {
      kind: 'need',
      originalLang: 'ar',
      title: { ar: 'الطاقة الشمسية لتحلية المياه' },
      summary: { ar: 'نحتاج إلى تقنية لتحلية مياه البحر في المناطق الساحلية.' },
      sdgs: [6, 7],
      countries: ['EGY'],
      sectors: ['water', 'energy'],
      readiness: 3,
    },
    'published',
    '2024-02-14T09:00:00Z',
  ],
  [
    'zh',
    {
      kind: 'publication',
      originalLang: 'zh',
      title: { zh: '太阳能灌溉系统在农村地区的应用' },
      summary: { zh: '本研究评估了太阳能灌溉系统对小农户产量的影响。' },
      sdgs: [2],
      countries: ['CHN'],
      sectors: ['agriculture', 'science'],
      licence: 'CC0-1.0',
    },
    'published',
    '2023-11-30T09:00:00Z',
  ],
  [
    'health',
    {
      kind: 'offer',
      originalLang: 'en',
      title: { en: 'Mobile health records for clinics', fr: 'Dossiers médicaux mobiles pour les cliniques' },
      summary: {
        en: 'Tablets with solar chargers keep patient records for rural clinics offline.',
        fr: 'Des tablettes à recharge solaire gardent les dossiers des patients des cliniques rurales.',
      },
      sdgs: [3],
      countries: ['KEN', 'UGA'],
      sectors: ['health', 'ict'],
      readiness: 8,
      licence: 'Apache-2.0',
      contactName: 'Dr Example',
      contactEmail: 'clinic@example.org',
      contactConsent: false,
    },
    'published',
    '2024-06-01T09:00:00Z',
  ],
  [
    'draft',
    {
      kind: 'offer',
      originalLang: 'en',
      title: { en: 'Secret solar irrigation draft', zh: '灌溉草稿' },
      summary: { en: 'Irrigating farms with solar energy; not yet submitted. Énergie solaire.' },
      sdgs: [2, 7],
      countries: ['KEN'],
      sectors: ['agriculture'],
      readiness: 6,
      licence: 'MIT',
    },
    'draft',
    '',
  ],
  [
    'archived',
    {
      kind: 'offer',
      originalLang: 'en',
      title: { en: 'Archived solar irrigation kiosk' },
      summary: { en: 'Irrigation kiosk, no longer offered.' },
      sdgs: [2],
      countries: ['KEN'],
    },
    'archived',
    '2022-01-01T09:00:00Z',
  ],
];

const PUBLISHED = RECORDS.filter((r) => r[2] === 'published').map((r) => r[0]);
const BY_DATE = ['health', 'ru', 'fr', 'ar', 'en', 'zh', 'es'];

async function failure(p: Promise<unknown>): Promise<PontisError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PontisError);
    return e as PontisError;
  }
  throw new Error('expected the search to fail');
}

const counts = (r: SearchResult, f: keyof SearchResult['facets']) =>
  Object.fromEntries(r.facets[f].map((c) => [c.value, c.count]));

describe.each(BACKENDS)('registry search on $name', (backend) => {
  let db: RegistryDb;
  const ids = new Map<string, string>();
  const keyOf = new Map<string, string>();
  const keys = (r: SearchResult) => r.hits.map((h) => keyOf.get(h.record.id) ?? h.record.id);
  const search = async (q: SearchQuery) => searchRecords(db, q);

  beforeAll(async () => {
    db = await backend.open();
    for (const [key, input, status, at] of RECORDS) {
      const { rec, regions } = validateRecordInput(input);
      const r = await insertRecord(db, rec, regions, { status, organisationId: null, createdBy: null });
      if (at) await db.query('UPDATE records SET published_at = $2 WHERE id = $1', [r.id, at]);
      ids.set(key, r.id);
      keyOf.set(r.id, key);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('full text in the six languages', () => {
    it('English: stemming (irrigating → irrigation)', async () => {
      const r = await search({ q: 'irrigating' });
      expect(r.mode).toBe('fulltext');
      expect(keys(r)).toEqual(['en']);
      expect(r.total).toBe(1);
    });

    it('French: énergies finds énergie solaire', async () => {
      const r = await search({ q: 'énergies', lang: 'fr' });
      expect(keys(r)).toEqual(['fr']);
      // The UI language does not decide the stemmer: the same query from an English page.
      expect(keys(await search({ q: 'énergies', lang: 'en' }))).toEqual(['fr']);
    });

    it('Spanish: plural and singular', async () => {
      expect(keys(await search({ q: 'comunidad aguas', lang: 'es' }))).toEqual(['es']);
    });

    it('Russian: another inflection of the same words', async () => {
      expect(keys(await search({ q: 'сельская школа', lang: 'ru' }))).toEqual(['ru']);
      expect(keys(await search({ q: 'платформы обучение' }))).toEqual(['ru']);
    });

    it('Arabic: with and without the definite article', async () => {
      expect(keys(await search({ q: 'طاقة شمسية', lang: 'ar' }))).toEqual(['ar']);
      expect(keys(await search({ q: 'الطاقة', lang: 'ar' }))).toEqual(['ar']);
    });

    it('Chinese: two-, three- and four-character substrings', async () => {
      for (const q of ['灌溉', '农村', '太阳能', '灌溉系统', '小农户产量']) {
        const r = await search({ q, lang: 'zh' });
        expect(r.mode, q).toBe('substring');
        expect(keys(r), q).toEqual(['zh']);
      }
      // A term that is not in the text, though its characters are.
      expect((await search({ q: '灌农' })).total).toBe(0);
      // Two terms must both be present.
      expect(keys(await search({ q: '灌溉 农村' }))).toEqual(['zh']);
      expect((await search({ q: '灌溉 学校' })).total).toBe(0);
    });

    it('a typo falls back to trigram matching, still without drafts', async () => {
      const r = await search({ q: 'irigation' });
      expect(r.mode).toBe('fuzzy');
      expect(r.corrected).toBe('irrigation');
      expect(keys(r)).toEqual(['en']);
      const two = await search({ q: 'photovoltiac pumps', kind: ['offer'] });
      expect(two.corrected).toBe('photovoltaic pumps');
      expect(keys(two)).toEqual(['en']);
      // Words of drafts are never suggested.
      const secret = await search({ q: 'secrett' });
      expect(secret.corrected).toBeUndefined();
      expect(secret.total).toBe(0);
    });

    it('relevance: a title match ranks above a summary match', async () => {
      const r = await search({ q: 'solar' });
      expect(keys(r)).toEqual(['en', 'health']);
      expect(r.hits[0]!.score).toBeGreaterThan(r.hits[1]!.score);
    });

    it('websearch syntax: phrases and exclusions', async () => {
      expect(keys(await search({ q: '"rural clinics"' }))).toEqual(['health']);
      expect(keys(await search({ q: 'solar -clinics' }))).toEqual(['en']);
    });

    it('returns the public view (no contact details without consent) and plain-text snippets', async () => {
      const r = await search({ q: 'clinics' });
      expect(keys(r)).toEqual(['health']);
      const hit = r.hits[0]!;
      expect(hit.record.contactName).toBeNull();
      expect(hit.record.contactEmail).toBeNull();
      expect(hit.snippet.lang).toBe('en');
      expect(hit.snippet.text).not.toMatch(/[<>]/);
      expect(hit.snippet.text).not.toContain(String.fromCharCode(1));
      expect(hit.snippet.highlights.map(([a, b]) => hit.snippet.text.slice(a, b).toLowerCase())).toEqual([
        'clinics',
      ]);
      // The French page shows the French summary, highlighted with French stemming.
      const fr = (await search({ q: 'cliniques', lang: 'fr' })).hits[0]!;
      expect(fr.snippet.lang).toBe('fr');
      expect(fr.snippet.highlights.map(([a, b]) => fr.snippet.text.slice(a, b))).toEqual(['cliniques']);
    });

    it('snippets for stemmed and Chinese matches', async () => {
      const en = (await search({ q: 'irrigating' })).hits[0]!.snippet;
      expect(en.highlights.map(([a, b]) => en.text.slice(a, b))).toEqual(['irrigation']);
      const zh = (await search({ q: '灌溉' })).hits[0]!.snippet;
      expect(zh.text).toBe('本研究评估了太阳能灌溉系统对小农户产量的影响。');
      expect(zh.highlights).toEqual([[9, 11]]);
    });
  });

  describe('facets, filters, sort and pages', () => {
    it('every published record, never the draft or the archived one', async () => {
      const r = await search({});
      expect(r.mode).toBe('all');
      expect(r.total).toBe(7);
      expect(keys(r).sort()).toEqual([...PUBLISHED].sort());
    });

    it('facet counts over all published records', async () => {
      const r = await search({});
      expect(counts(r, 'kind')).toEqual({ offer: 3, initiative: 1, practice: 1, need: 1, publication: 1 });
      expect(r.facets.kind[0]).toEqual({ value: 'offer', count: 3 });
      expect(counts(r, 'sdg')).toEqual({ '2': 2, '3': 1, '4': 2, '6': 2, '7': 3 });
      expect(counts(r, 'country')).toEqual({
        KEN: 2,
        SEN: 1,
        PER: 1,
        BOL: 1,
        KGZ: 1,
        EGY: 1,
        CHN: 1,
        UGA: 1,
      });
      expect(counts(r, 'sector')).toEqual({
        agriculture: 2,
        energy: 3,
        education: 2,
        water: 2,
        ict: 2,
        health: 1,
        science: 1,
      });
      expect(counts(r, 'readiness')).toEqual({ '3': 1, '5': 1, '7': 1, '8': 1 });
      expect(counts(r, 'licence')).toEqual({
        open: 4,
        MIT: 1,
        'CC-BY-4.0': 1,
        'LicenseRef-Proprietary': 1,
        'CC0-1.0': 1,
        'Apache-2.0': 1,
      });
      const region = counts(r, 'region');
      expect(region.M49_002).toBe(4); // Africa: KEN, SEN, EGY, KEN+UGA
      expect(region.M49_014).toBe(2); // Eastern Africa: KEN, KEN+UGA
      expect(region.M49_142).toBe(2); // Asia: KGZ, CHN
      expect(region.M49_419).toBe(1); // Latin America: PER+BOL, one record
    });

    it('disjunctive facets: a facet ignores its own filter, the others apply it', async () => {
      const ken = await search({ country: ['KEN'] });
      expect(keys(ken).sort()).toEqual(['en', 'health']);
      expect(ken.total).toBe(2);
      expect(counts(ken, 'country').SEN).toBe(1);
      expect(counts(ken, 'country').KEN).toBe(2);
      expect(counts(ken, 'kind')).toEqual({ offer: 2 });
      expect(counts(ken, 'sdg')).toEqual({ '2': 1, '3': 1, '7': 1 });

      const both = await search({ country: ['KEN'], sector: ['energy'] });
      expect(keys(both)).toEqual(['en']);
      expect(counts(both, 'country')).toEqual({ KEN: 1, SEN: 1, EGY: 1 });
      expect(counts(both, 'sector')).toEqual({ agriculture: 1, energy: 1, health: 1, ict: 1 });
      expect(counts(both, 'kind')).toEqual({ offer: 1 });

      // A selected value without any record is still listed, with 0.
      const none = await search({ country: ['FRA'] });
      expect(none.total).toBe(0);
      expect(counts(none, 'country').FRA).toBe(0);
      expect(counts(none, 'country').KEN).toBe(2);
    });

    it('facets with a text query', async () => {
      const r = await search({ q: 'solar' });
      expect(counts(r, 'country')).toEqual({ KEN: 2, UGA: 1 });
      expect(counts(r, 'licence')).toEqual({ open: 2, MIT: 1, 'Apache-2.0': 1 });
    });

    it('single-valued facets: "not this kind" and "not this readiness" (unset included)', async () => {
      // Passing both: none (ar is a need at readiness 3, fr an initiative without readiness).
      const r = await search({ kind: ['need', 'initiative'], readiness: { min: 4 } });
      expect(r.total).toBe(0);
      // The kind facet applies readiness ≥ 4 only: en, ru and health, all offers.
      expect(counts(r, 'kind')).toEqual({ offer: 3, need: 0, initiative: 0 });
      // The readiness facet applies the kinds only: ar (3); fr has no readiness to count.
      expect(counts(r, 'readiness')).toEqual({ '3': 1 });
      const t = await search({ q: 'solar', kind: ['offer'], readiness: { max: 7 } });
      expect(keys(t)).toEqual(['en']);
      expect(counts(t, 'readiness')).toEqual({ '7': 1, '8': 1 });
      expect(counts(t, 'kind')).toEqual({ offer: 1 });
    });

    it('filters with Chinese terms: one or two characters (the gram alone) and longer (LIKE)', async () => {
      expect(keys(await search({ q: '灌溉', country: ['CHN'] }))).toEqual(['zh']);
      const ken = await search({ q: '灌溉', country: ['KEN'] });
      expect(ken.total).toBe(0);
      expect(counts(ken, 'country')).toEqual({ CHN: 1, KEN: 0 });
      expect(keys(await search({ q: '太阳能', kind: ['publication'] }))).toEqual(['zh']);
      expect((await search({ q: '太阳能', kind: ['offer'] })).total).toBe(0);
      expect(keys(await search({ q: '灌 溉', sdg: [2] }))).toEqual(['zh']);
      // Characters that are in the text, but not next to each other.
      expect((await search({ q: '阳灌', sdg: [2] })).total).toBe(0);
    });

    it('filters: SDG, country, region, sector, readiness, licence, kind', async () => {
      expect(keys(await search({ sdg: [6] })).sort()).toEqual(['ar', 'es']);
      expect(keys(await search({ sdg: [3, 4] })).sort()).toEqual(['fr', 'health', 'ru']);
      expect(keys(await search({ country: ['PER'] }))).toEqual(['es']);
      // A region through the M49 codes of a country: Kenya's sub-region.
      const eastAfrica = regionsOf(['KEN']).regions.find((g) => g === 'M49_014')!;
      expect(keys(await search({ region: [eastAfrica] })).sort()).toEqual(['en', 'health']);
      expect(keys(await search({ sector: ['water'] })).sort()).toEqual(['ar', 'es']);
      expect(keys(await search({ readiness: { min: 5, max: 7 } })).sort()).toEqual(['en', 'ru']);
      expect(keys(await search({ readiness: { min: 8 } }))).toEqual(['health']);
      expect(keys(await search({ readiness: { max: 3 } }))).toEqual(['ar']);
      expect(keys(await search({ licence: ['open'] })).sort()).toEqual(['en', 'fr', 'health', 'zh']);
      expect(keys(await search({ licence: ['MIT', 'CC0-1.0'] })).sort()).toEqual(['en', 'zh']);
      expect(keys(await search({ kind: ['offer'], q: 'solar' })).sort()).toEqual(['en', 'health']);
      expect(keys(await search({ kind: ['need', 'practice'] })).sort()).toEqual(['ar', 'es']);
      const r = await search({ q: 'rural', sdg: [4, 3], licence: ['open'] });
      expect(keys(r).sort()).toEqual(['fr', 'health']);
    });

    it('sort by date, newest first; relevance without a query is by date too', async () => {
      expect(keys(await search({ sort: 'date' }))).toEqual(BY_DATE);
      expect(keys(await search({}))).toEqual(BY_DATE);
      expect(keys(await search({ q: 'solar', sort: 'date' }))).toEqual(['health', 'en']);
    });

    it('pages', async () => {
      const pages = await Promise.all(
        [1, 2, 3, 4].map((page) => search({ sort: 'date', page, pageSize: 3 })),
      );
      expect(pages.map(keys)).toEqual([BY_DATE.slice(0, 3), BY_DATE.slice(3, 6), BY_DATE.slice(6), []]);
      for (const p of pages) expect(p.total).toBe(7);
      expect(pages[1]!.page).toBe(2);
      expect(pages[1]!.pageSize).toBe(3);
    });
  });

  describe('bounded work (SEARCH_LIMITS)', () => {
    const tight = { candidates: 1, titleCandidates: 10, rerank: 100, indexedShare: 0.2 };

    it('a filter looked up in the index (search_tags) or tested on the rows: the same result', async () => {
      const queries: SearchQuery[] = [
        { country: ['KEN'] },
        { q: 'solar', country: ['KEN'] },
        { q: 'solar', kind: ['offer'], readiness: { max: 7 } },
        { kind: ['need', 'initiative'], readiness: { min: 4 } },
        { q: 'rural', sdg: [4, 3], licence: ['open'] },
        { q: 'rural', licence: ['CC-BY-4.0', 'Apache-2.0'], sort: 'date' },
        { region: ['M49_002'], sector: ['energy', 'water'] },
        { q: '灌溉', sdg: [2], licence: ['CC0-1.0'] },
        { q: '太阳能', kind: ['publication', 'offer'], country: ['CHN'] },
        { q: 'solar -clinics', readiness: { min: 1, max: 9 } },
      ];
      for (const q of queries) {
        const rows = await searchRecords(db, q, { ...SEARCH_LIMITS, indexedShare: 0 });
        const tags = await searchRecords(db, q, { ...SEARCH_LIMITS, indexedShare: 1 });
        expect(tags, JSON.stringify(q)).toEqual(rows);
        // And with every candidate limit reached.
        expect(await searchRecords(db, q, { ...tight, indexedShare: 1 }), JSON.stringify(q)).toEqual(
          await searchRecords(db, q, { ...tight, indexedShare: 0 }),
        );
      }
    });

    it('within the limits, totals are exact (totalIsLowerBound false)', async () => {
      for (const q of [
        {},
        { q: 'solar' },
        { q: '灌溉' },
        { country: ['KEN'] },
        { q: 'solar', sort: 'date' as const },
      ])
        expect((await search(q)).totalIsLowerBound).toBe(false);
      expect((await search({ q: 'solar' })).total).toBe(2);
    });

    it('beyond the candidate limit: total and facets are lower bounds, title matches still rank first', async () => {
      const exact = await search({ q: 'solar' });
      const r = await searchRecords(db, { q: 'solar' }, tight);
      expect(r.totalIsLowerBound).toBe(true);
      expect(r.total).toBeGreaterThanOrEqual(1);
      expect(r.total).toBeLessThanOrEqual(exact.total);
      // 'en' has solar in its title: it is a candidate either way (first found, or a title match).
      expect(keys(r)[0]).toBe('en');
      for (const f of ['kind', 'sdg', 'country', 'sector', 'licence'] as const)
        for (const [v, n] of Object.entries(counts(r, f)))
          expect(n).toBeLessThanOrEqual(counts(exact, f)[v]!);
      for (const h of r.hits) expect(PUBLISHED).toContain(keyOf.get(h.record.id));
    });

    it('sorted by date or browsing, the page stays exact beyond the limit', async () => {
      for (const q of [
        { q: 'solar', sort: 'date' as const },
        { country: ['KEN'] },
        { sdg: [7], sort: 'date' as const },
      ]) {
        const r = await searchRecords(db, q, tight);
        expect(r.totalIsLowerBound).toBe(true);
        expect(keys(r)).toEqual(keys(await search(q)));
      }
      expect(keys(await searchRecords(db, { sort: 'date', page: 2, pageSize: 3 }, tight))).toEqual(
        BY_DATE.slice(3, 6),
      );
    });
  });

  describe('facet totals for browsing (kept by triggers)', () => {
    it('follow inserts, publication, edits, archiving and deletes', async () => {
      const own = await backend.open();
      try {
        // Browsing without filters reads search_facet_totals; with every kind selected, the same
        // counts come from the records themselves.
        const same = async () => {
          const a = await searchRecords(own, {});
          const b = await searchRecords(own, {
            kind: ['offer', 'need', 'initiative', 'practice', 'publication'],
          });
          expect(a.total).toBe(b.total);
          // (b lists the selected kinds with count 0 too.)
          expect(a.facets).toEqual({ ...b.facets, kind: b.facets.kind.filter((k) => k.count > 0) });
          return a;
        };
        expect((await same()).total).toBe(0);
        const made: string[] = [];
        for (const [, input, status] of RECORDS) {
          const { rec, regions } = validateRecordInput(input);
          const r = await insertRecord(own, rec, regions, { status, organisationId: null, createdBy: null });
          made.push(r.id);
        }
        expect((await same()).total).toBe(7);
        await own.query(
          `UPDATE records SET countries = '{FRA}', regions = '{M49_150}', sdgs = '{13}' WHERE id = $1`,
          [made[0]],
        );
        expect(counts(await same(), 'country').FRA).toBe(1);
        // The filters' tags (a generated column) follow the edit too.
        const fra = await searchRecords(own, { q: 'solar', country: ['FRA'] });
        expect(fra.hits.map((h) => h.record.id)).toEqual([made[0]]);
        expect(counts(fra, 'country')).toEqual({ FRA: 1, KEN: 1, UGA: 1 });
        await own.query(`UPDATE records SET status = 'archived' WHERE id = ANY($1)`, [made.slice(0, 2)]);
        expect((await same()).total).toBe(5);
        await own.query(`UPDATE records SET status = 'published' WHERE status = 'draft'`);
        expect((await same()).total).toBe(6);
        await own.query('DELETE FROM records WHERE id = $1', [made[2]]);
        expect((await same()).total).toBe(5);
        await own.query('TRUNCATE records CASCADE');
        expect((await same()).total).toBe(0);
      } finally {
        await own.close();
      }
    });
  });

  describe('attacks and invalid input', () => {
    const intact = async () => {
      const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
      expect(n!.n).toBe(RECORDS.length);
    };

    it('SQL in the query text is only text', async () => {
      for (const q of [
        "'; DROP TABLE records; --",
        "solar' OR '1'='1",
        'solar"); DELETE FROM records; --',
        "灌溉%' OR '1'='1",
        '%',
        '_',
        '\\',
        "' UNION SELECT * FROM users --",
        'solar & | ! <-> :* ( )',
      ]) {
        const r = await search({ q });
        for (const h of r.hits) expect(h.record.status).toBe('published');
        expect(keys(r), q).not.toContain('draft');
        await intact();
      }
      // LIKE wildcards in a CJK term are literal.
      expect((await search({ q: '灌%' })).total).toBe(0);
      expect((await search({ q: '灌_' })).total).toBe(0);
    });

    it('SQL in a filter is refused, naming the field', async () => {
      const attempts: [Record<string, unknown>, string][] = [
        [{ country: ["KEN' OR '1'='1"] }, 'country.0'],
        [{ region: ["M49_014'; DROP TABLE records; --"] }, 'region.0'],
        [{ kind: ["offer' OR 1=1 --"] }, 'kind.0'],
        [{ sdg: ['1 OR 1=1'] }, 'sdg.0'],
        [{ sdg: [0] }, 'sdg.0'],
        [{ sector: ["water'); DROP TABLE records; --"] }, 'sector.0'],
        [{ licence: ["MIT' OR '1'='1"] }, 'licence.0'],
        [{ readiness: { min: '1; DROP TABLE records' } }, 'readiness.min'],
        [{ readiness: { min: 7, max: 2 } }, 'readiness'],
        [{ sort: 'date; DROP TABLE records' }, 'sort'],
        [{ lang: "en'; --" }, 'lang'],
        [{ page: '1; DROP TABLE records' }, 'page'],
        [{ page: 0 }, 'page'],
        [{ pageSize: 101 }, 'pageSize'],
        [{ q: 'x'.repeat(201) }, 'q'],
        [{ 'kind = kind; --': 1 }, ''],
      ];
      for (const [query, field] of attempts) {
        const e = await failure(search(query as SearchQuery));
        expect(e.code, JSON.stringify(query)).toBe('invalid_input');
        if (field) expect(e.location.field, JSON.stringify(query)).toBe(field);
      }
      await intact();
    });

    it('control characters and lone surrogates in the query', async () => {
      expect(keys(await search({ q: '\u0000solar\u0001' }))).toEqual(['en', 'health']);
      expect((await search({ q: '\ud800' })).total).toBe(0);
      expect((await search({ q: '   ' })).mode).toBe('all');
    });

    it('random query text: only invalid_input errors, never a draft', async () => {
      const draft = ids.get('draft')!;
      const archived = ids.get('archived')!;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 60 }),
            fc.string({ unit: 'binary', maxLength: 60 }),
            fc.string({ unit: 'grapheme', maxLength: 220 }),
            fc
              .array(
                fc.constantFrom(
                  'solar',
                  'irrigation',
                  '灌溉',
                  "'",
                  '"',
                  '-',
                  'or',
                  '%',
                  '\\',
                  ';',
                  'énergie',
                ),
              )
              .map((a) => a.join(' ')),
          ),
          async (q) => {
            try {
              const r = await search({ q, pageSize: 100 });
              for (const h of r.hits) {
                expect(h.record.status).toBe('published');
                expect([draft, archived]).not.toContain(h.record.id);
              }
              expect(r.total).toBeLessThanOrEqual(7);
            } catch (e) {
              expect(e).toBeInstanceOf(PontisError);
              expect((e as PontisError).code).toBe('invalid_input');
            }
          },
        ),
        { numRuns: 120 },
      );
      await intact();
    });
  });
});
