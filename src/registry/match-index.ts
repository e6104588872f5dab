/**
 * An exact, in-process index for matchmaking: every published need and offer in compact form, so
 * that a record can be scored against **all** records of the other kind in milliseconds, with the
 * same score `scoreMatch` (match-score.ts) gives, bit for bit.
 *
 * Per record: its text as term ids with term frequencies, in the order `textVector` counts them
 * (so that sums are taken in the same order as the cosine's), goals and sectors as bitmasks,
 * countries and M49 regions as interned ids, readiness, transfer terms as a bitmask (for an offer
 * with the open-licence rule of `offeredTerms`) and the organisation. Per kind, an inverted index
 * term → postings (record, tf), held compactly (one Int32Array of offsets, flat postings) plus
 * the postings added since the last compaction. Document frequencies are counted over the whole
 * index, so idf_t = ln((1 + N) / (1 + df_t)) + 1 over all N published needs and offers; record
 * norms depend on them and are recomputed lazily, on the first query after a change.
 *
 * Scoring a record: the dot products of its TF-IDF vector with every record of the other kind that
 * shares a term, through the postings; for a need, the dot product with each touched offer is then
 * summed in the offer's term order (as `cosine` does). The five other factors come from the
 * bitmasks and id lists with the rules of `scoreMatch`, and the six contributions are added in the
 * order `scoreMatch` adds them (largest first), so that the rounded score is the same number.
 *
 * Freshness (`sync`): migration 0005 keeps a counter that a statement-level trigger on `records`
 * bumps. Each sync reads it with the time to re-read from (one tiny query); when it moved, the need
 * and offer rows updated since the previous look are read again (an archived or unpublished record
 * leaves the index, an edited one is replaced). The time is the earliest of now and the start of
 * any transaction still open (writes stamp updated_at with their transaction's start), less one
 * second. When rows were deleted (the counter's `deletions`), the index is rebuilt.
 */
import type { Queryable } from './db.ts';
import {
  eachText,
  Idf,
  MATCH_WEIGHTS,
  type Matchable,
  offeredTerms,
  type TextVector,
  textVector,
} from './match-score.ts';
import { goalsOf, type RecordKind } from './model.ts';
import { terms } from './sdg-text.ts';

/** What the index reads of a record (a StoredRecord, or the columns of a `records` row). */
export type Indexable = Matchable & {
  id: string;
  kind: RecordKind;
  /** When given and not 'published', the record is not indexed (it leaves the index). */
  status?: string;
  organisationId: string | null;
};

export type IndexKind = 'need' | 'offer';

/** One scored record of the other kind. */
export interface IndexHit {
  id: string;
  score: number;
}

export interface SyncReport {
  /** 'fresh': nothing changed; 'incremental': changed rows re-read; 'full': rebuilt. */
  mode: 'fresh' | 'incremental' | 'full';
  /** Rows read from the database. */
  rows: number;
  ms: number;
  /** Of which waiting for the database (the counter and the rows). */
  dbMs: number;
}

export interface IndexStats {
  needs: number;
  offers: number;
  terms: number;
  postings: number;
  /** Bytes held in typed arrays (the bulk of the index). */
  typedBytes: number;
  /** A rough estimate of everything: typed arrays, ids, the vocabulary and the tokeniser memo. */
  estimatedBytes: number;
}

const CONTINENTS = new Set(['M49_002', 'M49_009', 'M49_019', 'M49_142', 'M49_150']);

// 1 + ln tf, for the common small term frequencies (exactly the value `cosine` computes).
const TFW = Float64Array.from({ length: 1024 }, (_, i) => 1 + Math.log(i));
const tfw = (tf: number) => (tf < 1024 ? TFW[tf]! : 1 + Math.log(tf));

// Factor slots in the order of their names (the tie-break of scoreMatch's sort of factors).
const F_GEO = 0;
const F_READY = 1;
const F_SDG = 2;
const F_SECTOR = 3;
const F_TERMS = 4;
const F_TEXT = 5;

type Typed = Int32Array | Float64Array | Uint8Array;
function grow<T extends Typed>(a: T, n: number): T {
  if (a.length >= n) return a;
  // A quarter more each time: amortised O(1), and little slack on 100,000 records.
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length + (a.length >> 2), 64));
  b.set(a);
  return b;
}

/** Strings to small integer ids (countries, regions, sectors, transfer terms). */
class Interner {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  constructor(private readonly max = Number.POSITIVE_INFINITY) {}
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.names.length;
      if (i >= this.max) throw new Error(`match index: more than ${this.max} distinct values (${s})`);
      this.ids.set(s, i);
      this.names.push(s);
    }
    return i;
  }
}

const popcount = (x: number) => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** A record in compact form, before it gets a slot. */
interface Compact {
  id: string;
  org: string | null;
  termIds: Int32Array;
  termTf: Int32Array;
  goals: number;
  sectors: number;
  /** The sector ids as listed (with repeats), only when the list repeats a sector. */
  sectorList: Uint8Array | null;
  sectorLen: number;
  countries: Int32Array;
  regions: Int32Array;
  readiness: number;
  terms: number;
}

/** The records of one kind. Slots are appended; a removed record's slot is dead until repacked. */
class Side {
  size = 0;
  live = 0;
  ids: string[] = [];
  org: (string | null)[] = [];
  slotOf = new Map<string, number>();
  alive = new Uint8Array(0);
  // Text: per slot, a range of the term pool.
  tOff = new Int32Array(0);
  tLen = new Int32Array(0);
  tId = new Int32Array(0);
  tTf = new Int32Array(0);
  tUsed = 0;
  norm = new Float64Array(0);
  normEpoch = -1;
  goals = new Int32Array(0);
  sectors = new Int32Array(0);
  sectorLen = new Uint8Array(0);
  sectorList = new Map<number, Uint8Array>();
  // Countries and regions: per slot, a range of their pools.
  cOff = new Int32Array(0);
  cLen = new Int32Array(0);
  cPool = new Int32Array(0);
  cUsed = 0;
  rOff = new Int32Array(0);
  rLen = new Int32Array(0);
  rPool = new Int32Array(0);
  rUsed = 0;
  readiness = new Uint8Array(0);
  terms = new Uint8Array(0);
  // Postings: compact part (offsets per term id, flat slots and tfs) and those added since.
  pOff = new Int32Array(1);
  pSlot = new Int32Array(0);
  pTf = new Int32Array(0);
  extra = new Map<number, number[]>();
  extraCount = 0;
  // Scratch for queries.
  touched = new Uint8Array(0);
  acc = new Float64Array(0);
  hits = new Int32Array(0);
  approx = new Float64Array(0);

  append(c: Compact, withPostings: boolean): number {
    const s = this.size++;
    const n = this.size;
    this.alive = grow(this.alive, n);
    this.tOff = grow(this.tOff, n);
    this.tLen = grow(this.tLen, n);
    this.norm = grow(this.norm, n);
    this.goals = grow(this.goals, n);
    this.sectors = grow(this.sectors, n);
    this.sectorLen = grow(this.sectorLen, n);
    this.cOff = grow(this.cOff, n);
    this.cLen = grow(this.cLen, n);
    this.rOff = grow(this.rOff, n);
    this.rLen = grow(this.rLen, n);
    this.readiness = grow(this.readiness, n);
    this.terms = grow(this.terms, n);
    this.ids[s] = c.id;
    this.org[s] = c.org;
    this.alive[s] = 1;
    this.live++;
    this.slotOf.set(c.id, s);
    const k = c.termIds.length;
    this.tId = grow(this.tId, this.tUsed + k);
    this.tTf = grow(this.tTf, this.tUsed + k);
    this.tId.set(c.termIds, this.tUsed);
    this.tTf.set(c.termTf, this.tUsed);
    this.tOff[s] = this.tUsed;
    this.tLen[s] = k;
    this.tUsed += k;
    this.goals[s] = c.goals;
    this.sectors[s] = c.sectors;
    this.sectorLen[s] = c.sectorLen;
    if (c.sectorList) this.sectorList.set(s, c.sectorList);
    this.cPool = grow(this.cPool, this.cUsed + c.countries.length);
    this.cPool.set(c.countries, this.cUsed);
    this.cOff[s] = this.cUsed;
    this.cLen[s] = c.countries.length;
    this.cUsed += c.countries.length;
    this.rPool = grow(this.rPool, this.rUsed + c.regions.length);
    this.rPool.set(c.regions, this.rUsed);
    this.rOff[s] = this.rUsed;
    this.rLen[s] = c.regions.length;
    this.rUsed += c.regions.length;
    this.readiness[s] = c.readiness;
    this.terms[s] = c.terms;
    if (withPostings)
      for (let i = 0; i < k; i++) {
        const t = c.termIds[i]!;
        const list = this.extra.get(t);
        if (list) list.push(s, c.termTf[i]!);
        else this.extra.set(t, [s, c.termTf[i]!]);
        this.extraCount++;
      }
    return s;
  }

  /** The compact form of a slot (to compare with a re-read record, and to repack). */
  compact(s: number): Compact {
    const o = this.tOff[s]!;
    const n = this.tLen[s]!;
    return {
      id: this.ids[s]!,
      org: this.org[s]!,
      termIds: this.tId.slice(o, o + n),
      termTf: this.tTf.slice(o, o + n),
      goals: this.goals[s]!,
      sectors: this.sectors[s]!,
      sectorList: this.sectorList.get(s) ?? null,
      sectorLen: this.sectorLen[s]!,
      countries: this.cPool.slice(this.cOff[s]!, this.cOff[s]! + this.cLen[s]!),
      regions: this.rPool.slice(this.rOff[s]!, this.rOff[s]! + this.rLen[s]!),
      readiness: this.readiness[s]!,
      terms: this.terms[s]!,
    };
  }

  kill(s: number): void {
    this.alive[s] = 0;
    this.live--;
    this.slotOf.delete(this.ids[s]!);
  }

  /** Drops the slack of the growable arrays (after a build). */
  trim(): void {
    const n = this.size;
    this.alive = this.alive.slice(0, n);
    this.tOff = this.tOff.slice(0, n);
    this.tLen = this.tLen.slice(0, n);
    this.norm = this.norm.slice(0, n);
    this.goals = this.goals.slice(0, n);
    this.sectors = this.sectors.slice(0, n);
    this.sectorLen = this.sectorLen.slice(0, n);
    this.cOff = this.cOff.slice(0, n);
    this.cLen = this.cLen.slice(0, n);
    this.rOff = this.rOff.slice(0, n);
    this.rLen = this.rLen.slice(0, n);
    this.readiness = this.readiness.slice(0, n);
    this.terms = this.terms.slice(0, n);
    this.tId = this.tId.slice(0, this.tUsed);
    this.tTf = this.tTf.slice(0, this.tUsed);
    this.cPool = this.cPool.slice(0, this.cUsed);
    this.rPool = this.rPool.slice(0, this.rUsed);
  }

  /** Rebuilds the compact postings from the live slots. */
  buildPostings(vocabSize: number): void {
    const off = new Int32Array(vocabSize + 1);
    for (let s = 0; s < this.size; s++) {
      if (!this.alive[s]) continue;
      const o = this.tOff[s]!;
      for (let i = o; i < o + this.tLen[s]!; i++) off[this.tId[i]! + 1]!++;
    }
    for (let t = 0; t < vocabSize; t++) off[t + 1]! += off[t]!;
    const fill = off.slice(0, vocabSize);
    const slot = new Int32Array(off[vocabSize]!);
    const tf = new Int32Array(off[vocabSize]!);
    for (let s = 0; s < this.size; s++) {
      if (!this.alive[s]) continue;
      const o = this.tOff[s]!;
      for (let i = o; i < o + this.tLen[s]!; i++) {
        const j = fill[this.tId[i]!]!++;
        slot[j] = s;
        tf[j] = this.tTf[i]!;
      }
    }
    this.pOff = off;
    this.pSlot = slot;
    this.pTf = tf;
    this.extra.clear();
    this.extraCount = 0;
  }

  /** Calls fn(slot, tf) for each live posting of a term. */
  postings(t: number, fn: (slot: number, tf: number) => void): void {
    if (t + 1 < this.pOff.length) {
      const end = this.pOff[t + 1]!;
      for (let j = this.pOff[t]!; j < end; j++) {
        const s = this.pSlot[j]!;
        if (this.alive[s]) fn(s, this.pTf[j]!);
      }
    }
    const x = this.extra.get(t);
    if (x)
      for (let j = 0; j < x.length; j += 2) {
        const s = x[j]!;
        if (this.alive[s]) fn(s, x[j + 1]!);
      }
  }

  get dead(): number {
    return this.size - this.live;
  }

  typedBytes(): number {
    let b = 0;
    for (const a of [
      this.alive,
      this.tOff,
      this.tLen,
      this.tId,
      this.tTf,
      this.norm,
      this.goals,
      this.sectors,
      this.sectorLen,
      this.cOff,
      this.cLen,
      this.cPool,
      this.rOff,
      this.rLen,
      this.rPool,
      this.readiness,
      this.terms,
      this.pOff,
      this.pSlot,
      this.pTf,
      this.touched,
      this.acc,
      this.hits,
      this.approx,
    ])
      b += a.byteLength;
    return b + this.extraCount * 16;
  }
}

/** The query record, prepared once for scoring against every record of the other kind. */
interface Query {
  kind: IndexKind;
  /** Term ids (−1: not in the index) and TF-IDF weights, in textVector's order. */
  ids: Int32Array;
  w: Float64Array;
  norm: number;
  goals: number;
  sectors: number;
  sectorIds: number[];
  sectorLen: number;
  countries: Set<number>;
  hasCountries: boolean;
  /** Region id → 2 (sub-region or intermediate region) or 1 (continent). */
  regions: Map<number, number>;
  readiness: number;
  terms: number;
}

const SELECT = `SELECT id, kind, status, title, summary, sdgs, sdg_targets, countries, regions, sectors, readiness,
  licence, transfer_terms, organisation_id FROM records`;

interface Row {
  id: string;
  kind: RecordKind;
  status: string;
  title: Matchable['title'];
  summary: Matchable['summary'];
  sdgs: number[];
  sdg_targets: string[];
  countries: string[];
  regions: string[];
  sectors: Matchable['sectors'];
  readiness: number | null;
  licence: string | null;
  transfer_terms: Matchable['transferTerms'];
  organisation_id: string | null;
}

const fromRow = (r: Row): Indexable => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  title: r.title,
  summary: r.summary,
  sdgs: r.sdgs,
  sdgTargets: r.sdg_targets,
  countries: r.countries,
  regions: r.regions,
  sectors: r.sectors,
  readiness: r.readiness,
  licence: r.licence,
  transferTerms: r.transfer_terms,
  organisationId: r.organisation_id,
});

/** IDF over the index as it was when the snapshot was taken (for `scoreMatch`'s explanations). */
class IndexIdf extends Idf {
  constructor(
    private readonly ixVocab: ReadonlyMap<string, number>,
    private readonly ixIdf: Float64Array,
    private readonly ixN: number,
  ) {
    super();
  }
  override get(term: string): number {
    const id = this.ixVocab.get(term);
    if (id !== undefined && id < this.ixIdf.length) return this.ixIdf[id]!;
    return Math.log((1 + this.ixN) / (1 + 0)) + 1;
  }
}

const MEMO_MAX = 300_000;

/**
 * How far below the limit-th approximate score `top` still looks (see `top`): a score from a
 * differently ordered dot product is at most one rounding step (10⁻⁶) from the exact one, so the
 * exact top k lies within two steps; ten leave room.
 */
export const TOP_MARGIN = 1e-5;

export interface MatchIndexOptions {
  /** Repack a kind's slots when more than this many are dead (and a quarter of the live ones). */
  repackDead?: number;
  /** Rebuild a kind's compact postings when more than this many were added since (and an eighth). */
  compactAdded?: number;
  /**
   * Rows read per query in a full build from the database (default 500: PGlite runs a query on the
   * event loop, which waits for it).
   */
  pageSize?: number;
  /** A full build from the database gives the event loop back after this much work (default 25 ms). */
  sliceMs?: number;
}

export class MatchIndex {
  private readonly repackDead: number;
  private readonly compactAdded: number;
  private readonly pageSize: number;
  private readonly sliceMs: number;
  constructor(o: MatchIndexOptions = {}) {
    this.repackDead = o.repackDead ?? 1000;
    this.compactAdded = o.compactAdded ?? 20_000;
    this.pageSize = o.pageSize ?? 500;
    this.sliceMs = o.sliceMs ?? 25;
  }
  private readonly vocab = new Map<string, number>();
  private df = new Int32Array(0);
  private idfs = new Float64Array(0);
  private idfEpoch = -1;
  /** Bumped whenever N or a document frequency changes (norms and idf are then stale). */
  private epoch = 0;
  private n = 0;
  private readonly sides: Record<IndexKind, Side> = { need: new Side(), offer: new Side() };
  private readonly countries = new Interner();
  private readonly regions = new Interner();
  private readonly sectorIds = new Interner(31);
  private readonly termIds = new Interner(8);
  // Tokeniser memo: a space-separated piece of text → its term ids (see `textOf`).
  private readonly pieces = new Map<string, Int32Array>();
  private scratchTf = new Int32Array(0);
  private dense = new Float64Array(0);
  // Freshness.
  private version: string | null = null;
  private deletions: string | null = null;
  private mark: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** True while a full build from the database is in progress (queries wait for it in `sync`). */
  private building = false;

  get size(): number {
    return this.n;
  }

  private termId(term: string): number {
    let id = this.vocab.get(term);
    if (id === undefined) {
      id = this.vocab.size;
      this.vocab.set(term, id);
      this.df = grow(this.df, id + 1);
    }
    return id;
  }

  /**
   * A record's term ids and frequencies in textVector's order. The text is cut at spaces and each
   * piece tokenised by sdg-text.ts's `terms` (memoised): no term spans a space (runs are letters,
   * digits and marks; NFKC never composes across U+0020), so this gives textVector's terms.
   */
  private textOf(r: Indexable): { ids: Int32Array; tf: Int32Array } {
    const order: number[] = [];
    eachText(r, (text, w) => {
      for (const piece of text.split(' ')) {
        if (piece.length === 0) continue;
        let ids = this.pieces.get(piece);
        if (!ids) {
          if (this.pieces.size >= MEMO_MAX) this.pieces.clear();
          ids = Int32Array.from(terms(piece), (t) => this.termId(t.term));
          this.pieces.set(piece, ids);
        }
        this.scratchTf = grow(this.scratchTf, this.vocab.size);
        const tf = this.scratchTf;
        for (const id of ids) {
          if (tf[id] === 0) order.push(id);
          tf[id]! += w;
        }
      }
    });
    const ids = Int32Array.from(order);
    const tf = Int32Array.from(order, (id) => this.scratchTf[id]!);
    for (const id of order) this.scratchTf[id] = 0;
    return { ids, tf };
  }

  private compactOf(r: Indexable, kind: IndexKind): Compact {
    const { ids, tf } = this.textOf(r);
    let goals = 0;
    for (const g of goalsOf(r)) {
      if (!Number.isInteger(g) || g < 1 || g > 31) throw new Error(`match index: SDG goal ${g}`);
      goals |= 1 << (g - 1);
    }
    let sectors = 0;
    const list = r.sectors.map((s) => this.sectorIds.id(s));
    for (const s of list) sectors |= 1 << s;
    let tmask = 0;
    for (const t of kind === 'offer' ? offeredTerms(r) : r.transferTerms) tmask |= 1 << this.termIds.id(t);
    const regions = Int32Array.from(r.regions ?? [], (g) => this.regions.id(g));
    return {
      id: r.id,
      org: r.organisationId,
      termIds: ids,
      termTf: tf,
      goals,
      sectors,
      sectorList: popcount(sectors) === list.length ? null : Uint8Array.from(list),
      sectorLen: list.length,
      countries: Int32Array.from(r.countries, (c) => this.countries.id(c)),
      regions,
      readiness: r.readiness ?? 0,
      terms: tmask,
    };
  }

  /** Adds, replaces or (when not a published need or offer) removes a record. True if it changed. */
  upsert(r: Indexable): boolean {
    if ((r.kind !== 'need' && r.kind !== 'offer') || (r.status !== undefined && r.status !== 'published'))
      return this.remove(r.id);
    const side = this.sides[r.kind];
    const c = this.compactOf(r, r.kind);
    const old = side.slotOf.get(r.id);
    if (old !== undefined && sameCompact(side.compact(old), c)) return false;
    this.remove(r.id);
    this.insert(side, c, true);
    return true;
  }

  private insert(side: Side, c: Compact, withPostings: boolean): void {
    side.append(c, withPostings);
    for (const t of c.termIds) this.df[t]!++;
    this.n++;
    this.epoch++;
    if (withPostings) this.maybeRepack(side === this.sides.need ? 'need' : 'offer');
  }

  /** Removes a record (no-op when absent). True if it was there. */
  remove(id: string): boolean {
    for (const kind of ['need', 'offer'] as const) {
      const side = this.sides[kind];
      const s = side.slotOf.get(id);
      if (s === undefined) continue;
      const o = side.tOff[s]!;
      for (let i = o; i < o + side.tLen[s]!; i++) this.df[side.tId[i]!]!--;
      side.kill(s);
      this.n--;
      this.epoch++;
      this.maybeRepack(kind);
      return true;
    }
    return false;
  }

  /** A full build, step 1: empty the index. */
  private startBuild(): void {
    this.sides.need = new Side();
    this.sides.offer = new Side();
    this.df.fill(0);
    this.n = 0;
    this.epoch++;
  }

  /** A full build, step 2 (per record): append without postings. */
  private addToBuild(r: Indexable): void {
    if ((r.kind !== 'need' && r.kind !== 'offer') || (r.status !== undefined && r.status !== 'published'))
      return;
    const side = this.sides[r.kind];
    if (side.slotOf.has(r.id)) this.remove(r.id);
    this.insert(side, this.compactOf(r, r.kind), false);
  }

  /**
   * A full build, step 3, in four parts (a caller may give the event loop back between them): each
   * side's postings, built once, and each side's norms, so that no query pays them.
   */
  private finishBuild(): (() => void)[] {
    return [
      () => this.sides.need.buildPostings(this.vocab.size),
      () => this.sides.offer.buildPostings(this.vocab.size),
      () => {
        this.sides.need.trim();
        this.sides.offer.trim();
        this.scratchTf = new Int32Array(this.vocab.size);
        this.refreshNorms(this.sides.need);
      },
      () => this.refreshNorms(this.sides.offer),
    ];
  }

  /** Replaces the whole content (a full build): postings are built once, at the end. */
  private rebuild(records: Iterable<Indexable>): void {
    this.startBuild();
    for (const r of records) this.addToBuild(r);
    for (const step of this.finishBuild()) step();
  }

  /**
   * A full build from the database that lets other work run: the published needs and offers are
   * read in pages of `pageSize` rows (by id), and the event loop is given back every `sliceMs` of
   * work. Queries meanwhile wait in `sync` (and `top` refuses to run). A page read later than
   * another may see rows changed since: every such row has updated_at ≥ the mark taken before the
   * first page, so the next sync re-reads it (or, for a deletion, rebuilds).
   */
  private async rebuildFrom(db: Queryable): Promise<{ rows: number; dbMs: number }> {
    this.building = true;
    try {
      this.startBuild();
      let rows = 0;
      let dbMs = 0;
      let last = '00000000-0000-0000-0000-000000000000';
      let slice = performance.now();
      for (;;) {
        const t = performance.now();
        const page = await db.query<Row>(
          `${SELECT} WHERE status = 'published' AND kind IN ('need', 'offer') AND id > $1::uuid
           ORDER BY id LIMIT ${this.pageSize}`,
          [last],
        );
        dbMs += performance.now() - t;
        for (const row of page) {
          this.addToBuild(fromRow(row));
          if (performance.now() - slice > this.sliceMs) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
        }
        rows += page.length;
        if (page.length < this.pageSize) break;
        last = page[page.length - 1]!.id;
      }
      for (const step of this.finishBuild()) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        step();
      }
      return { rows, dbMs };
    } finally {
      this.building = false;
    }
  }

  /** Loads records into an empty index (tests; `sync` does this from the database). */
  static from(records: Iterable<Indexable>, o: MatchIndexOptions = {}): MatchIndex {
    const ix = new MatchIndex(o);
    ix.rebuild(records);
    return ix;
  }

  /** Repacks a side when dead slots or uncompacted postings have grown large. */
  private maybeRepack(kind: IndexKind): void {
    const side = this.sides[kind];
    if (side.dead > this.repackDead && side.dead > side.live / 4) {
      const fresh = new Side();
      for (let s = 0; s < side.size; s++) if (side.alive[s]) fresh.append(side.compact(s), false);
      fresh.buildPostings(this.vocab.size);
      fresh.trim();
      this.sides[kind] = fresh;
    } else if (side.extraCount > this.compactAdded && side.extraCount > side.pSlot.length / 8)
      side.buildPostings(this.vocab.size);
  }

  private refreshIdf(): void {
    if (this.idfEpoch === this.epoch) return;
    this.idfs = new Float64Array(this.vocab.size);
    for (let t = 0; t < this.idfs.length; t++) this.idfs[t] = Math.log((1 + this.n) / (1 + this.df[t]!)) + 1;
    this.idfEpoch = this.epoch;
  }

  private refreshNorms(side: Side): void {
    this.refreshIdf();
    if (side.normEpoch === this.epoch) return;
    const idf = this.idfs;
    for (let s = 0; s < side.size; s++) {
      if (!side.alive[s]) continue;
      let na = 0;
      const o = side.tOff[s]!;
      for (let i = o; i < o + side.tLen[s]!; i++) na += (tfw(side.tTf[i]!) * idf[side.tId[i]!]!) ** 2;
      side.norm[s] = na;
    }
    side.normEpoch = this.epoch;
  }

  /** The IDF of the index now, as an `Idf` for `scoreMatch` (a snapshot: later changes do not move it). */
  idf(): Idf {
    this.refreshIdf();
    return new IndexIdf(this.vocab, this.idfs, this.n);
  }

  private prepare(r: Indexable, kind: IndexKind, text?: TextVector): Query {
    this.refreshIdf();
    const tv = text ?? textVector(r);
    const ids = new Int32Array(tv.tf.size);
    const w = new Float64Array(tv.tf.size);
    const unknown = Math.log((1 + this.n) / (1 + 0)) + 1;
    let norm = 0;
    let i = 0;
    for (const [term, f] of tv.tf) {
      // A term added to the vocabulary after the IDF was computed (not possible between a sync and
      // the query it serves) is one no indexed record has.
      let id = this.vocab.get(term) ?? -1;
      if (id >= this.idfs.length) id = -1;
      ids[i] = id;
      w[i] = (1 + Math.log(f)) * (id >= 0 ? this.idfs[id]! : unknown);
      norm += w[i]! ** 2;
      i++;
    }
    let goals = 0;
    for (const g of goalsOf(r)) goals |= 1 << (g - 1);
    const sectorIds = r.sectors.map((s) => this.sectorIds.ids.get(s) ?? -1);
    let sectors = 0;
    for (const s of sectorIds) if (s >= 0) sectors |= 1 << s;
    let terms = 0;
    for (const t of kind === 'offer' ? offeredTerms(r) : r.transferTerms) {
      const id = this.termIds.ids.get(t);
      // A term no indexed record uses still makes the list non-empty: a bit no one else has.
      terms |= id === undefined ? 1 << 30 : 1 << id;
    }
    const regions = new Map<number, number>();
    for (const g of r.regions ?? []) {
      const id = this.regions.ids.get(g);
      if (id !== undefined) regions.set(id, CONTINENTS.has(g) ? 1 : 2);
    }
    const countries = new Set<number>();
    for (const c of r.countries) {
      const id = this.countries.ids.get(c);
      if (id !== undefined) countries.add(id);
    }
    return {
      kind,
      ids,
      w,
      norm,
      goals,
      sectors,
      sectorIds,
      sectorLen: r.sectors.length,
      countries,
      hasCountries: r.countries.length > 0,
      regions,
      readiness: r.readiness ?? 0,
      terms,
    };
  }

  /**
   * Accumulates, through the postings, Σ_t w_q(t)·w_c(t) over the terms the query shares with each
   * record c of `side` (the same products `cosine` adds, in the query's term order), into
   * side.acc; the records touched are listed in side.hits[0, returned count) and marked in
   * side.touched. For an offer as the query this is the cosine's own order (exact); for a need it
   * is not (the cosine adds in the offer's order), so the sum may differ in the last bits.
   */
  private accumulate(q: Query, side: Side): number {
    const idf = this.idfs;
    side.touched = grow(side.touched, side.size);
    side.acc = grow(side.acc, side.size);
    side.hits = grow(side.hits, side.size);
    const { touched, acc, hits, alive, pOff, pSlot, pTf } = side;
    const needIsQuery = q.kind === 'need';
    let nh = 0;
    for (let i = 0; i < q.ids.length; i++) {
      const t = q.ids[i]!;
      if (t < 0) continue;
      const wq = q.w[i]!;
      const it = idf[t]!;
      if (t + 1 < pOff.length) {
        const end = pOff[t + 1]!;
        for (let j = pOff[t]!; j < end; j++) {
          const s = pSlot[j]!;
          if (!alive[s]) continue;
          if (!touched[s]) {
            touched[s] = 1;
            acc[s] = 0;
            hits[nh++] = s;
          }
          // cosine's product w(f_need)·w(f_offer), with w(f) = (1 + ln f)·idf, the need's factor first.
          acc[s]! += needIsQuery ? wq * (tfw(pTf[j]!) * it) : tfw(pTf[j]!) * it * wq;
        }
      }
      const x = side.extra.get(t);
      if (x)
        for (let j = 0; j < x.length; j += 2) {
          const s = x[j]!;
          if (!alive[s]) continue;
          if (!touched[s]) {
            touched[s] = 1;
            acc[s] = 0;
            hits[nh++] = s;
          }
          acc[s]! += needIsQuery ? wq * (tfw(x[j + 1]!) * it) : tfw(x[j + 1]!) * it * wq;
        }
    }
    return nh;
  }

  /**
   * For a need as the query: the dot products of the offers in `slots` recomputed exactly as
   * `cosine` sums them (over each offer's terms, in its order), into side.acc.
   */
  private exactDots(q: Query, side: Side, slots: ArrayLike<number>, count: number): void {
    const idf = this.idfs;
    this.dense = grow(this.dense, this.vocab.size);
    const dense = this.dense;
    for (let i = 0; i < q.ids.length; i++) if (q.ids[i]! >= 0) dense[q.ids[i]!] = q.w[i]!;
    for (let k = 0; k < count; k++) {
      const s = slots[k]!;
      let dot = 0;
      const o = side.tOff[s]!;
      for (let i = o; i < o + side.tLen[s]!; i++) {
        const t = side.tId[i]!;
        dot += dense[t]! * (tfw(side.tTf[i]!) * idf[t]!);
      }
      side.acc[s] = dot;
    }
    for (const t of q.ids) if (t >= 0) dense[t] = 0;
  }

  private begin(r: Indexable, text?: TextVector): { q: Query; side: Side } {
    if (this.building) throw new Error('match index: being built (await sync first)');
    if (r.kind !== 'need' && r.kind !== 'offer') throw new Error('match index: a need or an offer');
    const q = this.prepare(r, r.kind, text);
    const side = this.sides[r.kind === 'need' ? 'offer' : 'need'];
    this.refreshNorms(side);
    return { q, side };
  }

  /**
   * Scores `r` (a need or an offer, indexed or not) against every indexed record of the other kind
   * and calls fn(id, score) for each compatible one, with the score `scoreMatch` gives with `idf()`.
   * Exhaustive and exact: the reference `top` is tested against.
   */
  forEachScore(r: Indexable, fn: (id: string, score: number) => void, text?: TextVector): void {
    const { q, side } = this.begin(r, text);
    const nh = this.accumulate(q, side);
    if (q.kind === 'need') this.exactDots(q, side, side.hits, nh);
    const sc = new SlotScorer(q, side);
    for (let s = 0; s < side.size; s++) {
      if (!side.alive[s]) continue;
      const v = sc.score(s, side.touched[s] ? side.acc[s]! : 0);
      if (v >= 0) fn(side.ids[s]!, v);
    }
    for (let k = 0; k < nh; k++) side.touched[side.hits[k]!] = 0;
  }

  /**
   * The best `limit` records of the other kind for `r`: score descending, then id ascending; exactly
   * the first `limit` of `forEachScore`'s scores sorted so (methodology §5.2, "the search for the
   * best"). Every record is scored with the dot products from the postings (for a need, summed in
   * another order than the cosine's, so a score may be one rounding step, 10⁻⁶, off); the records
   * within TOP_MARGIN of the limit-th of those scores are the only ones that can be in the exact
   * top `limit`, and they alone are scored again exactly and sorted.
   */
  top(r: Indexable, limit: number, text?: TextVector): IndexHit[] {
    if (!Number.isInteger(limit) || limit < 1) return [];
    const { q, side } = this.begin(r, text);
    const nh = this.accumulate(q, side);
    const { touched, acc, alive } = side;
    side.approx = grow(side.approx, side.size);
    const approx = side.approx;
    const sc = new SlotScorer(q, side);
    // The limit-th best score so far: a min-first sorted buffer of the best `limit` values.
    const best = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
    for (let s = 0; s < side.size; s++) {
      if (!alive[s]) {
        approx[s] = -1;
        continue;
      }
      const v = sc.score(s, touched[s] ? acc[s]! : 0);
      approx[s] = v;
      if (v > best[0]!) {
        let i = 1;
        while (i < limit && best[i]! < v) {
          best[i - 1] = best[i]!;
          i++;
        }
        best[i - 1] = v;
      }
    }
    const exact = q.kind === 'offer';
    const floor = best[0]! - (exact ? 0 : TOP_MARGIN);
    const cand: number[] = [];
    for (let s = 0; s < side.size; s++) if (approx[s]! >= 0 && approx[s]! >= floor) cand.push(s);
    if (!exact) {
      // Only records sharing a term have a text part summed in another order.
      const redo = cand.filter((s) => touched[s]);
      this.exactDots(q, side, redo, redo.length);
      for (const s of redo) approx[s] = sc.score(s, acc[s]!);
    }
    for (let k = 0; k < nh; k++) touched[side.hits[k]!] = 0;
    const hits: IndexHit[] = [];
    for (const s of cand) if (approx[s]! >= 0) hits.push({ id: side.ids[s]!, score: approx[s]! });
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.slice(0, limit);
  }

  /**
   * Brings the index up to date with the database: nothing when the counter of migration 0005 has
   * not moved; the need and offer rows changed since the last look; or everything when rows were
   * deleted (or on the first call). Calls on one index run one at a time.
   */
  sync(db: Queryable): Promise<SyncReport> {
    const run = this.queue.then(() => this.syncNow(db));
    this.queue = run.catch(() => {});
    return run;
  }

  private async syncNow(db: Queryable): Promise<SyncReport> {
    const t0 = performance.now();
    // The time to re-read from next time: writes stamp updated_at with their transaction's start,
    // so a transaction still open now may commit rows older than now; one second covers the moment
    // between a transaction's start and its appearance in pg_stat_activity.
    const [v] = await db.query<{ version: string; deletions: string; mark: string }>(
      `SELECT version::text AS version, deletions::text AS deletions,
         (least(clock_timestamp(), (SELECT min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT NULL))
           - interval '1 second')::text AS mark
       FROM match_version`,
    );
    if (!v) throw new Error('match index: no match_version row (migration 0005)');
    if (v.version === this.version && v.deletions === this.deletions) {
      const ms = performance.now() - t0;
      return { mode: 'fresh', rows: 0, ms, dbMs: ms };
    }
    let dbMs = performance.now() - t0;
    let mode: SyncReport['mode'];
    let count: number;
    if (this.version === null || v.deletions !== this.deletions) {
      mode = 'full';
      // Should the build fail half-way, the next sync starts again from nothing.
      this.version = null;
      const b = await this.rebuildFrom(db);
      dbMs += b.dbMs;
      count = b.rows;
    } else {
      mode = 'incremental';
      const t = performance.now();
      const rows = await db.query<Row>(
        `${SELECT} WHERE updated_at >= $1::timestamptz AND kind IN ('need', 'offer')`,
        [this.mark],
      );
      dbMs += performance.now() - t;
      let changed = false;
      for (const r of rows) if (this.upsert(fromRow(r))) changed = true;
      // The new IDF moves every norm: recomputed now (about 20 ms at 56,000 records), by the sync
      // that saw the change (often the writer's own refreshMatches), not by the next query of each kind.
      if (changed) {
        this.refreshNorms(this.sides.need);
        this.refreshNorms(this.sides.offer);
      }
      count = rows.length;
    }
    this.version = v.version;
    this.deletions = v.deletions;
    this.mark = v.mark;
    return { mode, rows: count, ms: performance.now() - t0, dbMs };
  }

  stats(): IndexStats {
    const sides = Object.values(this.sides);
    const typedBytes =
      sides.reduce((b, s) => b + s.typedBytes(), 0) +
      this.df.byteLength +
      this.idfs.byteLength +
      this.scratchTf.byteLength +
      this.dense.byteLength;
    let strings = 0;
    for (const s of sides) strings += s.ids.length * (36 * 2 + 80); // id string, slot map entry, org
    for (const k of this.vocab.keys()) strings += 2 * k.length + 60;
    for (const [k, v] of this.pieces) strings += 2 * k.length + v.byteLength + 120;
    return {
      needs: this.sides.need.live,
      offers: this.sides.offer.live,
      terms: this.vocab.size,
      postings: sides.reduce((n, s) => n + s.pSlot.length + s.extraCount, 0),
      typedBytes,
      estimatedBytes: typedBytes + strings,
    };
  }
}

/**
 * The score of one record of a side against a prepared query, given the dot product of their
 * text vectors: the five other factors from the bitmasks and id lists with the rules of
 * `scoreMatch`, the six contributions added in the order `scoreMatch` adds them, rounded as it
 * rounds. −1 when the transfer terms are incompatible (not a match).
 */
class SlotScorer {
  private readonly c = new Float64Array(6);
  private readonly order = [0, 1, 2, 3, 4, 5];
  private readonly needIsQuery: boolean;
  constructor(
    private readonly q: Query,
    private readonly side: Side,
  ) {
    this.needIsQuery = q.kind === 'need';
  }

  score(s: number, dot: number): number {
    const { q, side, c, needIsQuery } = this;
    // terms (an incompatible pair is not a match)
    const ct = side.terms[s]!;
    let vTerms = 0.5;
    if (q.terms !== 0 && ct !== 0) {
      if ((q.terms & ct) === 0) return -1;
      vTerms = 1;
    }
    // text
    let vText = 0;
    const nn = side.norm[s]!;
    if (dot !== 0 && q.norm !== 0 && nn !== 0)
      vText = dot / Math.sqrt(needIsQuery ? q.norm * nn : nn * q.norm);
    // sdg: shared goals ÷ the need's goals
    const cg = side.goals[s]!;
    let vSdg = 0.5;
    if (q.goals !== 0 && cg !== 0) vSdg = popcount(q.goals & cg) / popcount(needIsQuery ? q.goals : cg);
    // sector: shared sectors ÷ the need's sectors (a repeated sector counts as often as listed)
    const cs = side.sectors[s]!;
    const cLen = side.sectorLen[s]!;
    let vSector = 0.5;
    if (q.sectorLen !== 0 && cLen !== 0) {
      let shared = 0;
      if (needIsQuery) {
        for (const id of q.sectorIds) if (id >= 0 && (cs >>> id) & 1) shared++;
        vSector = shared / q.sectorLen;
      } else {
        const list = side.sectorList.get(s);
        if (list) for (const id of list) shared += (q.sectors >>> id) & 1;
        else shared = popcount(q.sectors & cs);
        vSector = shared / cLen;
      }
    }
    // geography
    const cn = side.cLen[s]!;
    const needHas = needIsQuery ? q.hasCountries : cn > 0;
    const offerHas = needIsQuery ? cn > 0 : q.hasCountries;
    let vGeo: number;
    if (!needHas) vGeo = 0.5;
    else if (!offerHas) vGeo = 0.6;
    else {
      vGeo = 0;
      const co = side.cOff[s]!;
      for (let i = co; i < co + cn; i++)
        if (q.countries.has(side.cPool[i]!)) {
          vGeo = 1;
          break;
        }
      if (vGeo === 0) {
        let best = 0;
        const ro = side.rOff[s]!;
        for (let i = ro; i < ro + side.rLen[s]!; i++) {
          const m = q.regions.get(side.rPool[i]!);
          if (m !== undefined && m > best) best = m;
        }
        vGeo = best === 2 ? 0.75 : best === 1 ? 0.5 : 0;
      }
    }
    // readiness
    const cr = side.readiness[s]!;
    let vReady = 0.5;
    if (q.readiness !== 0 && cr !== 0) {
      const short = needIsQuery ? Math.max(0, q.readiness - cr) : Math.max(0, cr - q.readiness);
      vReady = Math.max(0, 1 - 0.25 * short);
    }
    c[F_GEO] = MATCH_WEIGHTS.geography * vGeo;
    c[F_READY] = MATCH_WEIGHTS.readiness * vReady;
    c[F_SDG] = MATCH_WEIGHTS.sdg * vSdg;
    c[F_SECTOR] = MATCH_WEIGHTS.sector * vSector;
    c[F_TERMS] = MATCH_WEIGHTS.terms * vTerms;
    c[F_TEXT] = MATCH_WEIGHTS.text * vText;
    return sumLikeScoreMatch(c, this.order);
  }
}

/** Adds the six contributions as scoreMatch does: largest first (ties by factor name), rounded. */
function sumLikeScoreMatch(c: Float64Array, order: number[]): number {
  for (let i = 0; i < 6; i++) order[i] = i;
  for (let i = 1; i < 6; i++) {
    const x = order[i]!;
    let j = i - 1;
    while (j >= 0 && (c[order[j]!]! < c[x]! || (c[order[j]!]! === c[x]! && order[j]! > x))) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
  let raw = 0;
  for (let i = 0; i < 6; i++) raw += c[order[i]!]!;
  return Math.round(raw * 1e6) / 1e6;
}

const sameArray = (a: ArrayLike<number> | null, b: ArrayLike<number> | null) => {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

function sameCompact(a: Compact, b: Compact): boolean {
  return (
    a.org === b.org &&
    a.goals === b.goals &&
    a.sectors === b.sectors &&
    a.sectorLen === b.sectorLen &&
    a.readiness === b.readiness &&
    a.terms === b.terms &&
    sameArray(a.sectorList, b.sectorList) &&
    sameArray(a.termIds, b.termIds) &&
    sameArray(a.termTf, b.termTf) &&
    sameArray(a.countries, b.countries) &&
    sameArray(a.regions, b.regions)
  );
}

const indexes = new WeakMap<Queryable, MatchIndex>();

/** The match index of a database (one per RegistryDb object, built on first use). */
export function matchIndex(db: Queryable): MatchIndex {
  let ix = indexes.get(db);
  if (!ix) {
    ix = new MatchIndex();
    indexes.set(db, ix);
  }
  return ix;
}
