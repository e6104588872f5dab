/**
 * Matchmaking in the database: for a need, the published offers that best answer it (and for an
 * offer, the needs it could answer), each with its explained score (match-score.ts).
 *
 * 1. Candidates (one SQL query): published records of the other kind that share a word (full text
 *    in the five stemmed configurations, stop words dropped), an SDG or a sector with the record, ordered by a cheap
 *    rank (text rank × 10 + shared SDGs + shared sectors) and cut to `candidates` (default 300).
 * 2. Each candidate is scored in full (all six factors) against the record, with document
 *    frequencies taken over the candidates, and the best `limit` are returned.
 *
 * When a need or an offer is published, `refreshMatches` stores its best matches (score ≥ 0.3) in
 * `matches`; a new match scoring ≥ STRONG_MATCH notifies both organisations in the app.
 */
import { randomUUID } from 'node:crypto';
import { PontisError } from '../core/errors.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { type FactorScore, Idf, type MatchScore, scoreMatch, textVector } from './match-score.ts';
import { goalsOf, LANGS, type RecordKind } from './model.ts';
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
  candidates?: number;
}

const COUNTERPART: Partial<Record<RecordKind, RecordKind>> = { need: 'offer', offer: 'need' };

/** Words of a record's text for the candidate query: letters and digits only, at most 40. */
export function queryWords(r: Pick<StoredRecord, 'title' | 'summary'>): string {
  const words = new Set<string>();
  for (const l of LANGS)
    for (const text of [r.title[l], r.summary[l]]) {
      if (!text) continue;
      for (const m of text.matchAll(/[\p{L}\p{N}]{3,}/gu)) {
        words.add(m[0].toLowerCase());
        if (words.size >= 40) break;
      }
    }
  // Only letters and digits reach to_tsquery, joined by its OR operator: no query syntax from input.
  return [...words].join(' | ');
}

async function candidates(
  db: Queryable,
  r: StoredRecord,
  kind: RecordKind,
  n: number,
): Promise<StoredRecord[]> {
  const rows = await db.query<RecordRow>(
    `WITH q AS (SELECT to_tsquery('english', $1) || to_tsquery('french', $1) || to_tsquery('spanish', $1)
                    || to_tsquery('russian', $1) || to_tsquery('arabic', $1) AS tsq)
     SELECT ${RECORD_COLUMNS.split(',')
       .map((c) => `r.${c.trim()}`)
       .join(', ')}
     FROM records r, q
     WHERE r.status = 'published' AND r.kind = $2 AND r.id <> $3
       AND (r.search_vec @@ q.tsq OR r.sdgs && $4::int[] OR r.sectors && $5::text[])
     ORDER BY ts_rank(r.search_vec, q.tsq) * 10
            + (SELECT count(*) FROM unnest(r.sdgs) g WHERE g = ANY ($4::int[]))
            + (SELECT count(*) FROM unnest(r.sectors) s WHERE s = ANY ($5::text[])) DESC, r.id
     LIMIT $6`,
    [queryWords(r), kind, r.id, goalsOf(r), r.sectors, n],
  );
  return rows.map(toRecord);
}

/** Ranks the candidates against a record; the need is always the first argument of the score. */
export function rankCandidates(r: StoredRecord, cands: StoredRecord[], limit: number): MatchResult[] {
  const rv = textVector(r);
  const vectors = cands.map((c) => textVector(c));
  const idf = new Idf();
  idf.add(rv);
  for (const v of vectors) idf.add(v);
  const out: MatchResult[] = [];
  cands.forEach((c, i) => {
    const s =
      r.kind === 'need'
        ? scoreMatch({ need: r, offer: c, needText: rv, offerText: vectors[i], idf })
        : scoreMatch({ need: c, offer: r, needText: vectors[i], offerText: rv, idf });
    if (s.compatible) out.push({ ...s, record: publicView(c) });
  });
  out.sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : 1));
  return out.slice(0, limit);
}

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
  const r = await getRecord(db, actor, recordId);
  const kind = COUNTERPART[r.kind];
  if (!kind)
    throw new PontisError(
      'invalid_input',
      `matchmaking pairs needs with offers; this record is a ${r.kind}`,
      {
        field: 'id',
      },
    );
  const cands = await candidates(db, r, kind, o.candidates ?? 300);
  return { record: r, matches: rankCandidates(r, cands, limit) };
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
