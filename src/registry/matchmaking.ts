/**
 * Matchmaking in the database: for a need, the published offers that best answer it (and for an
 * offer, the needs it could answer), each with its explained score (match-score.ts).
 *
 * Every published record of the other kind is scored, through the in-process match index of the
 * database (match-index.ts: exact, with document frequencies over all published needs and offers,
 * brought up to date by one tiny query before each call). The best `limit` (score, then id) are
 * then read from the database and scored again by `scoreMatch` with the index's IDF, which gives
 * the explanation (and the same score).
 *
 * When a need or an offer is published, `refreshMatches` stores its best matches (score ≥ 0.3) in
 * `matches`; a new match scoring ≥ STRONG_MATCH notifies both organisations in the app.
 */
import { randomUUID } from 'node:crypto';
import { PontisError } from '../core/errors.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { matchIndex, type SyncReport } from './match-index.ts';
import { type FactorScore, type MatchScore, scoreMatch, textVector } from './match-score.ts';
import type { RecordKind } from './model.ts';
import {
  getRecord,
  isUuid,
  publicView,
  RECORD_COLUMNS,
  type RecordRow,
  type StoredRecord,
  toRecord,
} from './records.ts';
import type { Actor } from './roles.ts';

/** A stored match at or above this score notifies both organisations. */
export const STRONG_MATCH = 0.6;
/** Matches below this score are not stored (they are still listed on request). */
export const STORED_MATCH = 0.3;

export interface MatchResult extends MatchScore {
  record: StoredRecord;
}

export interface MatchOptions {
  limit?: number;
}

const COUNTERPART: Partial<Record<RecordKind, RecordKind>> = { need: 'offer', offer: 'need' };

/** The best matches for a need (offers) or an offer (needs) that `actor` may see. */
export async function findMatches(
  db: Queryable,
  actor: Actor | null,
  recordId: string,
  o: MatchOptions = {},
): Promise<{ record: StoredRecord; matches: MatchResult[] }> {
  const limit = o.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new PontisError('invalid_input', 'limit is a whole number from 1 to 100', { field: 'limit' });
  const index = matchIndex(db);
  // The record and the index's freshness at once (on a server, two connections; PGlite runs them in turn).
  const [r] = await Promise.all([getRecord(db, actor, recordId), index.sync(db)]);
  if (!COUNTERPART[r.kind])
    throw new PontisError(
      'invalid_input',
      `matchmaking pairs needs with offers; this record is a ${r.kind}`,
      {
        field: 'id',
      },
    );
  const rv = textVector(r);
  // Scores and IDF are taken together (no await between): a concurrent sync cannot move them apart.
  const hits = index.top(r, limit, rv);
  const idf = index.idf();
  if (hits.length === 0) return { record: r, matches: [] };
  const rows = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE id = ANY ($1::uuid[]) AND status = 'published'`,
    [hits.map((h) => h.id)],
  );
  const matches: MatchResult[] = [];
  for (const row of rows) {
    const c = toRecord(row);
    // The need is always the first argument of the score.
    const s =
      r.kind === 'need'
        ? scoreMatch({ need: r, offer: c, needText: rv, idf })
        : scoreMatch({ need: c, offer: r, offerText: rv, idf });
    if (s.compatible) matches.push({ ...s, record: publicView(c) });
  }
  matches.sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : 1));
  return { record: r, matches };
}

/**
 * Builds the match index of a database before the first match needs it (`pontis serve` calls it at
 * start-up, without waiting): the build reads in pages and gives the event loop back as it goes,
 * and a findMatches meanwhile waits for it instead of starting another.
 */
export async function warmMatches(db: Queryable): Promise<SyncReport> {
  const report = await matchIndex(db).sync(db);
  // One match of each kind, so that the first user's does not pay for compiling the scoring code
  // and planning the queries either.
  for (const kind of ['need', 'offer']) {
    const [r] = await db.query<{ id: string }>(
      `SELECT id FROM records WHERE status = 'published' AND kind = $1 LIMIT 1`,
      [kind],
    );
    if (r) await findMatches(db, systemActor, r.id);
  }
  return report;
}

/** The explanation stored with a match (and shown with it): the factors as scored. */
export interface MatchExplanation {
  factors: FactorScore[];
}

/**
 * Stores the best matches of a published need or offer and notifies both organisations of each
 * new strong match. Returns the matches stored now.
 */
export async function refreshMatches(
  db: RegistryDb,
  recordId: string,
): Promise<{ stored: number; notified: { matchId: string; score: number }[] }> {
  const { record: r, matches } = await findMatches(db, systemActor, recordId, { limit: 20 });
  const keep = matches.filter((m) => m.score >= STORED_MATCH);
  return db.transaction(async (tx) => {
    const notified: { matchId: string; score: number }[] = [];
    for (const m of keep) {
      const need = r.kind === 'need' ? r : m.record;
      const offer = r.kind === 'need' ? m.record : r;
      const explanation: MatchExplanation = { factors: m.factors };
      const rows = await tx.query<{ id: string; inserted: boolean }>(
        `INSERT INTO matches (id, need_id, offer_id, score, explanation) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (need_id, offer_id) DO UPDATE SET score = EXCLUDED.score, explanation = EXCLUDED.explanation,
           updated_at = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [randomUUID(), need.id, offer.id, m.score, JSON.stringify(explanation)],
      );
      const row = rows[0]!;
      if (row.inserted && m.score >= STRONG_MATCH) {
        for (const org of new Set([need.organisationId, offer.organisationId])) {
          if (!org) continue;
          await tx.query(
            `INSERT INTO notifications (id, organisation_id, kind, payload) VALUES ($1, $2, 'match.new', $3)`,
            [
              randomUUID(),
              org,
              JSON.stringify({ matchId: row.id, needId: need.id, offerId: offer.id, score: m.score }),
            ],
          );
        }
        notified.push({ matchId: row.id, score: m.score });
      }
    }
    return { stored: keep.length, notified };
  });
}

/** The matchmaker reads published records only; this actor sees nothing unpublished. */
const systemActor: Actor | null = null;

export interface StoredMatch {
  id: string;
  needId: string;
  offerId: string;
  score: number;
  state: 'suggested' | 'interest' | 'partnership' | 'dismissed';
  explanation: MatchExplanation;
  createdAt: Date;
}

interface MatchRow {
  id: string;
  need_id: string;
  offer_id: string;
  score: number;
  state: StoredMatch['state'];
  explanation: MatchExplanation;
  created_at: Date;
}

const toMatch = (m: MatchRow): StoredMatch => ({
  id: m.id,
  needId: m.need_id,
  offerId: m.offer_id,
  score: Number(m.score),
  state: m.state,
  explanation: m.explanation,
  createdAt: new Date(m.created_at),
});

/** Stored matches involving an organisation's records ("my matches"), best first. */
export async function organisationMatches(db: Queryable, organisationId: string): Promise<StoredMatch[]> {
  const rows = await db.query<MatchRow>(
    `SELECT m.id, m.need_id, m.offer_id, m.score, m.state, m.explanation, m.created_at
     FROM matches m JOIN records n ON n.id = m.need_id JOIN records o ON o.id = m.offer_id
     WHERE (n.organisation_id = $1 OR o.organisation_id = $1) AND m.state <> 'dismissed'
     ORDER BY m.score DESC, m.id`,
    [organisationId],
  );
  return rows.map(toMatch);
}

export async function getMatch(db: Queryable, needId: string, offerId: string): Promise<StoredMatch | null> {
  const rows = await db.query<MatchRow>(
    'SELECT id, need_id, offer_id, score, state, explanation, created_at FROM matches WHERE need_id = $1 AND offer_id = $2',
    [needId, offerId],
  );
  return rows[0] ? toMatch(rows[0]) : null;
}

/** Public record lookup used by the thread functions (published records of both sides). */
export async function loadPublished(db: Queryable, id: string): Promise<StoredRecord> {
  if (!isUuid(id)) throw new PontisError('not_found', `no published record '${id}'`, { field: 'id' });
  const rows = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1 AND status = 'published'`,
    [id],
  );
  if (!rows[0]) throw new PontisError('not_found', `no published record '${id}'`, { field: 'id' });
  return toRecord(rows[0]);
}
