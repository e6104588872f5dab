/**
 * The match index (src/registry/match-index.ts): its scores are scoreMatch's, to the last bit, for
 * every need–offer pair of random record sets (also after records are added, edited and removed),
 * its IDF is the IDF over all indexed records, its top k is the sort of all pairs by scoreMatch;
 * and in the database it follows publication, archiving, edits, deletions and long transactions,
 * and never shows a draft.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '../../bench/registry/generate.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { regionsOf } from '../../src/registry/geo.ts';
import { type Indexable, MatchIndex, matchIndex } from '../../src/registry/match-index.ts';
import { Idf, scoreMatch, textVector } from '../../src/registry/match-score.ts';
import { findMatches, warmMatches } from '../../src/registry/matchmaking.ts';
import type { Lang, RecordInput, Sector, TransferTerm } from '../../src/registry/model.ts';
import { createRecord, transitionRecord, updateRecord } from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { BACKENDS } from './backends.ts';
import { addOrg, addUser } from './fixtures.ts';

// A small multilingual vocabulary, so that random records share words (and stems) often.
const WORDS: Record<Lang, string[]> = {
  en: [
    'solar',
    'pumps',
    'irrigation',
    'water',
    'health',
    'mobile',
    'clinics',
    'energy',
    'energies',
    'schools',
  ],
  fr: ['solaire', 'pompes', 'irrigation', 'eau', 'santé', 'mobile', 'énergie', 'écoles', 'télémédecine'],
  es: ['solar', 'bombas', 'riego', 'agua', 'salud', 'móvil', 'energía', 'escuelas'],
  ru: ['солнечные', 'насосы', 'вода', 'здоровье', 'энергия', 'школы'],
  ar: ['الطاقة', 'الشمسية', 'مضخات', 'المياه', 'الصحة', 'والمدارس'],
  zh: ['太阳能', '灌溉泵', '水', '卫生', '移动医疗', '学校'],
};
const LANG_LIST = Object.keys(WORDS) as Lang[];
const SECTOR_LIST: Sector[] = ['agriculture', 'energy', 'health', 'water', 'education'];
const TERM_LIST: TransferTerm[] = [
  'open_source',
  'donation',
  'licence_fee',
  'service',
  'mutually_agreed_terms',
];
const COUNTRY_LIST = ['KEN', 'TZA', 'PER', 'CHL', 'FRA', 'CHN', 'IND', 'KAZ'];

const text = (lang: Lang) =>
  fc
    .array(fc.constantFrom(...WORDS[lang]), { minLength: 1, maxLength: 6 })
    .chain((ws) =>
      fc.constantFrom(ws.join(' '), ws.join(', '), ws.join('  '), ws.join(lang === 'zh' ? '' : ' ')),
    );
const langText = fc
  .subarray(LANG_LIST, { minLength: 1, maxLength: 3 })
  .chain((ls) => fc.tuple(...ls.map((l) => text(l).map((t) => [l, t] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Partial<Record<Lang, string>>);

const record = (kind: 'need' | 'offer') =>
  fc
    .record({
      title: langText,
      summary: langText,
      sdgs: fc.subarray([2, 3, 4, 6, 7, 9, 13]),
      sdgTargets: fc.subarray(['3.8', '6.1', '7.2']),
      // Repeats allowed, as the schema allows them.
      sectors: fc.array(fc.constantFrom(...SECTOR_LIST), { maxLength: 3 }),
      countries: fc.subarray(COUNTRY_LIST, { maxLength: 3 }),
      readiness: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
      licence: fc.constantFrom(null, 'MIT', 'CC-BY-4.0', 'LicenseRef-Proprietary'),
      transferTerms: fc.subarray(TERM_LIST, { maxLength: 2 }),
    })
    .map(
      (r): Omit<Indexable, 'id'> => ({
        kind,
        organisationId: null,
        regions: regionsOf(r.countries).regions,
        ...r,
      }),
    );

const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`;

/** Every pair scored by scoreMatch with the index's IDF, against the index's own scores. */
function checkIndex(ix: MatchIndex, records: Indexable[]) {
  const idf = ix.idf();
  // IDF over all indexed records.
  const fresh = new Idf();
  const vectors = records.map((r) => textVector(r));
  for (const v of vectors) fresh.add(v);
  for (const v of vectors) for (const t of v.tf.keys()) expect(idf.get(t)).toBe(fresh.get(t));
  const needs = records.filter((r) => r.kind === 'need');
  const offers = records.filter((r) => r.kind === 'offer');
  for (const [query, others] of [
    ...needs.map((n) => [n, offers] as const),
    ...offers.map((o) => [o, needs] as const),
  ]) {
    const got = new Map<string, number>();
    ix.forEachScore(query, (id, score) => got.set(id, score));
    const want: { id: string; score: number }[] = [];
    for (const other of others) {
      const [need, offer] = query.kind === 'need' ? [query, other] : [other, query];
      const s = scoreMatch({ need, offer, idf });
      if (!s.compatible) expect(got.has(other.id)).toBe(false);
      else {
        // The same number, not merely close (the sums are taken in the same order).
        expect(Math.abs(got.get(other.id)! - s.score)).toBeLessThanOrEqual(1e-9);
        expect(got.get(other.id)).toBe(s.score);
        want.push({ id: other.id, score: s.score });
      }
    }
    expect(got.size).toBe(want.length);
    want.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    for (const k of [1, 3, 100]) expect(ix.top(query, k)).toEqual(want.slice(0, k));
  }
}

describe('match index: exactly scoreMatch', () => {
  it('scores every pair as scoreMatch does, with IDF over all records; top k = all pairs sorted', () => {
    fc.assert(
      fc.property(
        fc.array(record('need'), { minLength: 1, maxLength: 6 }),
        fc.array(record('offer'), { minLength: 1, maxLength: 8 }),
        (ns, os) => {
          const records = [...ns, ...os].map((r, i) => ({ ...r, id: uuid(i) }));
          checkIndex(MatchIndex.from(records), records);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stays exact as records are added, edited, archived and added back', () => {
    fc.assert(
      fc.property(
        fc.array(record('need'), { minLength: 1, maxLength: 5 }),
        fc.array(record('offer'), { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.record({
            op: fc.constantFrom('add', 'edit', 'archive', 'same'),
            kind: fc.constantFrom('need' as const, 'offer' as const),
            at: fc.nat(),
            rec: fc.oneof(record('need'), record('offer')),
          }),
          { maxLength: 8 },
        ),
        (ns, os, ops) => {
          const live = new Map<string, Indexable>();
          for (const [i, r] of [...ns, ...os].entries()) live.set(uuid(i), { ...r, id: uuid(i) });
          const ix = MatchIndex.from(live.values());
          let next = 1000;
          for (const o of ops) {
            const ids = [...live.keys()];
            const id = ids[o.at % Math.max(1, ids.length)]!;
            if (o.op === 'add' || ids.length === 0) {
              const r = { ...o.rec, id: uuid(next++) };
              expect(ix.upsert(r)).toBe(true);
              live.set(r.id, r);
            } else if (o.op === 'edit') {
              const r = { ...o.rec, kind: live.get(id)!.kind, id };
              ix.upsert(r);
              live.set(id, r);
            } else if (o.op === 'archive') {
              expect(ix.upsert({ ...live.get(id)!, status: 'archived' })).toBe(true);
              live.delete(id);
            } else expect(ix.upsert({ ...live.get(id)! })).toBe(false);
          }
          expect(ix.size).toBe(live.size);
          checkIndex(ix, [...live.values()]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stays exact after a repack (many removals) and a compaction of postings', () => {
    const gen = fc.sample(fc.oneof(record('need'), record('offer')), { numRuns: 3000, seed: 7 });
    const records = gen.map((r, i) => ({ ...r, id: uuid(i) }));
    const ix = MatchIndex.from(records.slice(0, 2600), { repackDead: 100, compactAdded: 50 });
    for (const r of records.slice(2600)) ix.upsert(r);
    const postings = ix.stats().postings;
    for (const r of records.slice(0, 2000)) ix.remove(r.id);
    // Repacked: dead postings are gone.
    expect(ix.stats().postings).toBeLessThan(postings / 2);
    const live = records.slice(2000);
    expect(ix.size).toBe(live.length);
    const idf = ix.idf();
    const needs = live.filter((r) => r.kind === 'need').slice(0, 5);
    const offers = live.filter((r) => r.kind === 'offer');
    for (const n of needs) {
      const got = new Map<string, number>();
      ix.forEachScore(n, (id, s) => got.set(id, s));
      for (const o of offers) {
        const s = scoreMatch({ need: n, offer: o, idf });
        expect(got.get(o.id) ?? 0).toBe(s.score);
      }
    }
  });

  it('top k (pruned, re-scored near the k-th) equals the exhaustive ranking on many records', () => {
    // Random records, plus offers whose texts are the same words in other orders and counts: their
    // text scores tie or nearly tie, so a dot product summed in another order than the cosine's can
    // round to a neighbouring score (the case the exact re-scoring near the k-th score is for).
    const gen = fc.sample(fc.oneof(record('need'), record('offer')), { numRuns: 1500, seed: 11 });
    const words = [...WORDS.en, ...WORDS.fr];
    const shuffled = fc.sample(
      fc.tuple(
        fc.shuffledSubarray(words, { minLength: 6, maxLength: words.length }),
        fc.array(fc.nat(words.length - 1), { maxLength: 4 }),
        record('offer'),
      ),
      { numRuns: 400, seed: 12 },
    );
    const records: Indexable[] = [
      ...gen.map((r, i) => ({ ...r, id: uuid(i) })),
      ...shuffled.map(([ws, extra, r], i) => ({
        ...r,
        id: uuid(10_000 + i),
        title: { en: ws.join(' ') },
        summary: { fr: [...ws.slice(0, 3), ...extra.map((k) => words[k]!)].join(' ') },
        sdgs: [6],
        sdgTargets: [],
        sectors: ['water' as Sector],
        countries: ['KEN'],
        regions: regionsOf(['KEN']).regions,
        readiness: 5,
        licence: null,
        transferTerms: [],
      })),
    ];
    const ix = MatchIndex.from(records);
    const queries = [
      ...records.filter((r) => r.kind === 'need').slice(0, 40),
      ...records.filter((r) => r.kind === 'offer').slice(0, 20),
    ];
    for (const q of queries) {
      const all: { id: string; score: number }[] = [];
      ix.forEachScore(q, (id, score) => all.push({ id, score }));
      all.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      for (const k of [1, 10, 25]) expect(ix.top(q, k)).toEqual(all.slice(0, k));
    }
  });

  it('top k equals the exhaustive ranking on generated six-language records (the benchmark data)', () => {
    const records: Indexable[] = generateRecords(3000, 5).map((g) => ({
      ...g.input,
      id: g.id,
      status: g.status,
      regions: g.regions,
      organisationId: null,
    }));
    const ix = MatchIndex.from(records);
    const live = records.filter((r) => r.status === 'published');
    const queries = [
      ...live.filter((r) => r.kind === 'need').slice(0, 15),
      ...live.filter((r) => r.kind === 'offer').slice(0, 10),
    ];
    expect(queries.length).toBe(25);
    for (const q of queries) {
      const all: { id: string; score: number }[] = [];
      ix.forEachScore(q, (id, score) => all.push({ id, score }));
      all.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      expect(all.length).toBeGreaterThan(100);
      for (const k of [1, 10, 20]) expect(ix.top(q, k)).toEqual(all.slice(0, k));
    }
  });

  it('a draft or another kind is not indexed', () => {
    const [n, o] = fc.sample(fc.tuple(record('need'), record('offer')), { numRuns: 1, seed: 1 })[0]!;
    const ix = MatchIndex.from([
      { ...n, id: uuid(1) },
      { ...o, id: uuid(2), status: 'draft' },
      { ...o, id: uuid(3), kind: 'initiative' },
    ]);
    expect(ix.size).toBe(1);
    expect(ix.top({ ...n, id: uuid(1) }, 10)).toEqual([]);
  });
});

type In = Partial<RecordInput> & Pick<RecordInput, 'kind' | 'title' | 'summary' | 'originalLang'>;

describe.each(BACKENDS)('match index freshness on $name', (backend) => {
  let db: RegistryDb;
  let moderator: Actor;
  let admin: Actor;
  let author: Actor;
  let needId: string;

  const publish = async (input: In) => {
    const r = await createRecord(db, author, input);
    await transitionRecord(db, author, r.id, 'submitted');
    return transitionRecord(db, moderator, r.id, 'published');
  };
  const offer = (title: string): In => ({
    kind: 'offer',
    originalLang: 'en',
    title: { en: title },
    summary: { en: 'Pumps driven by solar panels for smallholder irrigation.' },
    sdgs: [2, 7],
    sectors: ['agriculture'],
  });
  const matchIds = async () =>
    (await findMatches(db, null, needId, { limit: 100 })).matches.map((m) => m.record.id);

  beforeAll(async () => {
    db = await backend.open();
    moderator = await addUser(db, 'moderator');
    admin = await addUser(db, 'admin');
    const org = await addOrg(db, 'Farmers cooperative');
    author = await addUser(db, 'contributor', org.id);
    needId = (
      await publish({
        kind: 'need',
        originalLang: 'en',
        title: { en: 'Solar irrigation pumps for smallholder farms' },
        summary: { en: 'We need solar pumps to irrigate vegetable plots without diesel.' },
        sdgs: [2],
        sectors: ['agriculture'],
      })
    ).id;
    await publish(offer('Wind turbines for villages'));
  });
  afterAll(async () => db?.close());

  it('a published offer is seen at once; archived, it is gone; edited, its score moves', async () => {
    const before = await matchIds();
    const o = await publish(offer('Solar irrigation pumps'));
    expect((await findMatches(db, null, needId)).matches[0]!.record.id).toBe(o.id);
    expect(await matchIds()).toEqual(expect.arrayContaining([...before, o.id]));

    const score = async () =>
      (await findMatches(db, null, needId, { limit: 100 })).matches.find((m) => m.record.id === o.id)?.score;
    const s0 = await score();
    await updateRecord(db, admin, o.id, {
      ...offer('Diesel generators for mines'),
      summary: { en: 'Generators.' },
    });
    const s1 = await score();
    expect(s1).toBeDefined();
    expect(s1).toBeLessThan(s0!);

    await transitionRecord(db, moderator, o.id, 'archived');
    expect(await matchIds()).not.toContain(o.id);
    expect(await matchIds()).toEqual(before);
  });

  it('drafts and submitted records never appear; a draft need is matched against published offers', async () => {
    const draft = await createRecord(db, author, offer('Solar irrigation pumps for smallholder farms'));
    const submitted = await createRecord(db, author, offer('Solar irrigation pumps, submitted'));
    await transitionRecord(db, author, submitted.id, 'submitted');
    const ids = await matchIds();
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(submitted.id);
    const draftNeed = await createRecord(db, author, {
      kind: 'need',
      originalLang: 'en',
      title: { en: 'Solar irrigation pumps' },
      summary: { en: 'Pumps for farms.' },
    });
    const { matches } = await findMatches(db, author, draftNeed.id);
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.map((m) => m.record.id)).not.toContain(draft.id);
    // The draft offer cannot find the draft need either.
    expect((await findMatches(db, author, draft.id)).matches.map((m) => m.record.id)).not.toContain(
      draftNeed.id,
    );
  });

  it('a deleted record leaves the index (rebuilt)', async () => {
    const o = await publish(offer('Solar irrigation pumps to be deleted'));
    expect(await matchIds()).toContain(o.id);
    await db.query('DELETE FROM records WHERE id = $1', [o.id]);
    expect(await matchIds()).not.toContain(o.id);
  });

  it('an index that is fresh reads only the counter', async () => {
    await findMatches(db, null, needId);
    expect((await matchIndex(db).sync(db)).mode).toBe('fresh');
    // A draft (publishing would sync the index itself, through refreshMatches).
    await createRecord(db, author, offer('Solar pumps, one more'));
    const r = await matchIndex(db).sync(db);
    expect(r.mode).toBe('incremental');
    expect(r.rows).toBeLessThan(10);
  });

  // Two transactions at once need a server (PGlite runs one at a time): defined for PostgreSQL only.
  if (backend.name === 'postgres')
    it('a write committed after a sync, in a transaction begun before it, is seen', async () => {
      const o = await publish(offer('Solar irrigation pumps, slow edit'));
      await findMatches(db, null, needId);
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let started!: () => void;
      const inTx = new Promise<void>((r) => {
        started = r;
      });
      // The transaction starts (and reads) now, but writes only after the sync below: its row is
      // stamped with its start time, older than the sync.
      const slow = db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        started();
        await gate;
        await tx.query(`UPDATE records SET title = $2, updated_at = now() WHERE id = $1`, [
          o.id,
          JSON.stringify({ en: 'Diesel generators' }),
        ]);
      });
      await inTx;
      await new Promise((r) => setTimeout(r, 1500));
      // Another write and a sync while the slow transaction is open.
      await publish(offer('Wind pumps'));
      await findMatches(db, null, needId);
      release();
      await slow;
      const m = (await findMatches(db, null, needId, { limit: 100 })).matches.find(
        (x) => x.record.id === o.id,
      );
      expect(m!.record.title).toEqual({ en: 'Diesel generators' });
      const fresh = new MatchIndex();
      await fresh.sync(db);
      expect(fresh.top(m!.record as Indexable, 100)).toEqual(matchIndex(db).top(m!.record as Indexable, 100));
    });

  it('a full build reads in pages and yields: a query meanwhile is refused, the result is the same', async () => {
    for (const t of ['Solar pumps for gardens', 'Solar water pumps', 'Irrigation by solar power'])
      await publish(offer(t));
    const need = (await findMatches(db, null, needId)).record as Indexable;
    const whole = new MatchIndex();
    await whole.sync(db);
    const paged = new MatchIndex({ pageSize: 2, sliceMs: 0 });
    let refused = 0;
    let on = true;
    const spin = () => {
      try {
        paged.top(need, 10);
      } catch (e) {
        if (/being built/.test(String(e))) refused++;
        else throw e;
      }
      if (on) setImmediate(spin);
    };
    setImmediate(spin);
    const report = await paged.sync(db);
    on = false;
    expect(report.mode).toBe('full');
    expect(report.rows).toBe(whole.size);
    expect(refused).toBeGreaterThan(0);
    expect(paged.stats()).toEqual(whole.stats());
    expect(paged.top(need, 100)).toEqual(whole.top(need, 100));
  });

  it('warmMatches builds the index ahead; a match asked for meanwhile waits for it', async () => {
    const o = await publish(offer('Solar irrigation pumps, to be deleted before a rebuild'));
    await db.query('DELETE FROM records WHERE id = $1', [o.id]);
    const warm = warmMatches(db);
    const during = findMatches(db, null, needId, { limit: 100 });
    expect((await warm).mode).toBe('full');
    const ids = (await during).matches.map((m) => m.record.id);
    expect(ids).not.toContain(o.id);
    expect((await matchIndex(db).sync(db)).mode).toBe('fresh');
    expect((await findMatches(db, null, needId, { limit: 100 })).matches.map((m) => m.record.id)).toEqual(
      ids,
    );
  });
});
