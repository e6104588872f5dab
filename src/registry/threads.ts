/**
 * From match to partnership. "Express interest" in a published offer (from one's own need, or the
 * other way round) opens a thread between the two organisations, with a first message, and tells
 * the other organisation in the app; either side can then write in the thread and mark it as a
 * partnership, or close it. Members of the two organisations see the thread, nobody else.
 */
import { randomUUID } from 'node:crypto';
import { notFound, PontisError } from '../core/errors.ts';
import { audit } from './audit.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { getMatch, loadPublished } from './matchmaking.ts';
import { isUuid } from './records.ts';
import { type Actor, authorize } from './roles.ts';

export interface Thread {
  id: string;
  matchId: string | null;
  needId: string | null;
  offerId: string | null;
  fromOrg: string | null;
  toOrg: string | null;
  state: 'open' | 'partnership' | 'closed';
  createdBy: string | null;
  createdAt: Date;
  messages: Message[];
}

export interface Message {
  id: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: Date;
}

interface ThreadRow {
  id: string;
  match_id: string | null;
  need_id: string | null;
  offer_id: string | null;
  from_org: string | null;
  to_org: string | null;
  state: Thread['state'];
  created_by: string | null;
  created_at: Date;
}

const COLUMNS = 'id, match_id, need_id, offer_id, from_org, to_org, state, created_by, created_at';

function checkBody(body: string): string {
  if (typeof body !== 'string' || body.includes('\u0000'))
    throw new PontisError('invalid_input', 'a message is text without NUL characters', { field: 'body' });
  const b = body.trim();
  if (b.length === 0) throw new PontisError('invalid_input', 'a message cannot be empty', { field: 'body' });
  if (b.length > 10_000)
    throw new PontisError('invalid_input', 'at most 10,000 characters', { field: 'body' });
  return b;
}

/**
 * Opens (or returns the open) thread about a need and an offer. The actor's organisation must
 * own one of the two records; the thread goes to the organisation of the other.
 */
export async function expressInterest(
  db: RegistryDb,
  actor: Actor | null,
  o: { needId: string; offerId: string; message: string },
): Promise<Thread> {
  authorize(actor, 'interest.express');
  const body = checkBody(o.message);
  const need = await loadPublished(db, o.needId);
  const offer = await loadPublished(db, o.offerId);
  if (need.kind !== 'need')
    throw new PontisError('invalid_input', 'not a technology need', { field: 'needId' });
  if (offer.kind !== 'offer')
    throw new PontisError('invalid_input', 'not a technology offer', { field: 'offerId' });
  const mine = actor!.organisationId;
  const other = need.organisationId === mine ? offer.organisationId : need.organisationId;
  if (need.organisationId !== mine && offer.organisationId !== mine)
    throw new PontisError('forbidden', 'express interest from a need or an offer of your own organisation', {
      field: 'needId',
    });
  if (!other || other === mine)
    throw new PontisError('conflict', 'the other record has no other organisation to contact', {
      field: 'offerId',
    });
  const match = await getMatch(db, need.id, offer.id);
  return db.transaction(async (tx) => {
    const existing = await tx.query<ThreadRow>(
      `SELECT ${COLUMNS} FROM threads WHERE need_id = $1 AND offer_id = $2 AND state <> 'closed'
       AND ((from_org = $3 AND to_org = $4) OR (from_org = $4 AND to_org = $3)) ORDER BY created_at LIMIT 1`,
      [need.id, offer.id, mine, other],
    );
    let thread = existing[0];
    if (!thread) {
      thread = (
        await tx.query<ThreadRow>(
          `INSERT INTO threads (id, match_id, need_id, offer_id, from_org, to_org, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [randomUUID(), match?.id ?? null, need.id, offer.id, mine, other, actor!.userId],
        )
      )[0]!;
      await audit(tx, {
        actorId: actor!.userId,
        action: 'interest.express',
        entity: 'thread',
        entityId: thread.id,
      });
    }
    await insertMessage(tx, actor!, thread.id, body);
    if (match && match.state === 'suggested')
      await tx.query(`UPDATE matches SET state = 'interest', updated_at = now() WHERE id = $1`, [match.id]);
    await notify(tx, other, 'thread.interest', { threadId: thread.id, needId: need.id, offerId: offer.id });
    return readThread(tx, thread.id);
  });
}

async function insertMessage(tx: Queryable, actor: Actor, threadId: string, body: string): Promise<void> {
  const id = randomUUID();
  await tx.query('INSERT INTO messages (id, thread_id, author_id, body) VALUES ($1, $2, $3, $4)', [
    id,
    threadId,
    actor.userId,
    body,
  ]);
  await audit(tx, { actorId: actor.userId, action: 'thread.post', entity: 'message', entityId: id });
}

async function notify(
  tx: Queryable,
  org: string,
  kind: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await tx.query('INSERT INTO notifications (id, organisation_id, kind, payload) VALUES ($1, $2, $3, $4)', [
    randomUUID(),
    org,
    kind,
    JSON.stringify(payload),
  ]);
}

async function threadRow(db: Queryable, id: string): Promise<ThreadRow> {
  if (!isUuid(id)) throw notFound(`no thread '${id}'`, { field: 'id' });
  const rows = await db.query<ThreadRow>(`SELECT ${COLUMNS} FROM threads WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound(`no thread '${id}'`, { field: 'id' });
  return rows[0];
}

/** The side of the thread the actor belongs to (their organisation), or a not-found. */
function sideOf(actor: Actor | null, t: ThreadRow): { mine: string; other: string | null } {
  const org = actor?.organisationId ?? null;
  if (org && org === t.from_org) return { mine: org, other: t.to_org };
  if (org && org === t.to_org) return { mine: org, other: t.from_org };
  // Threads are private to their two organisations: others get a not-found, not a forbidden.
  throw notFound(`no thread '${t.id}'`, { field: 'id' });
}

async function readThread(db: Queryable, id: string): Promise<Thread> {
  const t = await threadRow(db, id);
  const msgs = await db.query<{
    id: string;
    author_id: string | null;
    name: string | null;
    body: string;
    created_at: Date;
  }>(
    `SELECT m.id, m.author_id, u.display_name AS name, m.body, m.created_at
     FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.thread_id = $1 ORDER BY m.created_at, m.id`,
    [id],
  );
  return {
    id: t.id,
    matchId: t.match_id,
    needId: t.need_id,
    offerId: t.offer_id,
    fromOrg: t.from_org,
    toOrg: t.to_org,
    state: t.state,
    createdBy: t.created_by,
    createdAt: new Date(t.created_at),
    messages: msgs.map((m) => ({
      id: m.id,
      authorId: m.author_id,
      authorName: m.name,
      body: m.body,
      createdAt: new Date(m.created_at),
    })),
  };
}

export async function getThread(db: Queryable, actor: Actor | null, id: string): Promise<Thread> {
  const t = await threadRow(db, id);
  if (actor?.role !== 'admin') sideOf(actor, t);
  return readThread(db, id);
}

export async function postMessage(db: RegistryDb, actor: Actor | null, threadId: string, body: string) {
  const b = checkBody(body);
  return db.transaction(async (tx) => {
    const t = await threadRow(tx, threadId);
    const { mine, other } = sideOf(actor, t);
    authorize(actor, 'thread.post', { organisationId: mine });
    if (t.state === 'closed') throw new PontisError('conflict', 'this thread is closed', { field: 'id' });
    await insertMessage(tx, actor!, t.id, b);
    if (other) await notify(tx, other, 'thread.message', { threadId: t.id });
    return readThread(tx, t.id);
  });
}

/** Marks a thread as a partnership (or closes it); its match follows. */
export async function setThreadState(
  db: RegistryDb,
  actor: Actor | null,
  threadId: string,
  state: 'partnership' | 'closed',
): Promise<Thread> {
  return db.transaction(async (tx) => {
    const t = await threadRow(tx, threadId);
    const { mine, other } = sideOf(actor, t);
    authorize(actor, 'thread.partnership', { organisationId: mine });
    if (t.state !== 'open')
      throw new PontisError('conflict', `this thread is ${t.state} already`, { field: 'state' });
    await tx.query('UPDATE threads SET state = $2, updated_at = now() WHERE id = $1', [t.id, state]);
    if (t.match_id && state === 'partnership')
      await tx.query(`UPDATE matches SET state = 'partnership', updated_at = now() WHERE id = $1`, [
        t.match_id,
      ]);
    await audit(tx, { actorId: actor!.userId, action: `thread.${state}`, entity: 'thread', entityId: t.id });
    if (other) await notify(tx, other, `thread.${state}`, { threadId: t.id });
    return readThread(tx, t.id);
  });
}

/** Threads of the actor's organisation, newest first. */
export async function myThreads(db: Queryable, actor: Actor | null): Promise<Omit<Thread, 'messages'>[]> {
  const org = actor?.organisationId;
  if (!org) return [];
  const rows = await db.query<ThreadRow>(
    `SELECT ${COLUMNS} FROM threads WHERE from_org = $1 OR to_org = $1 ORDER BY created_at DESC, id`,
    [org],
  );
  return rows.map((t) => ({
    id: t.id,
    matchId: t.match_id,
    needId: t.need_id,
    offerId: t.offer_id,
    fromOrg: t.from_org,
    toOrg: t.to_org,
    state: t.state,
    createdBy: t.created_by,
    createdAt: new Date(t.created_at),
  }));
}

export interface Notification {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

/** The actor's notifications: their organisation's and their own, newest first. */
export async function notifications(db: Queryable, actor: Actor | null, limit = 50): Promise<Notification[]> {
  if (!actor) return [];
  const rows = await db.query<{
    id: string;
    kind: string;
    payload: Record<string, unknown>;
    created_at: Date;
    read_at: Date | null;
  }>(
    `SELECT id, kind, payload, created_at, read_at FROM notifications
     WHERE user_id = $1 OR ($2::uuid IS NOT NULL AND organisation_id = $2::uuid)
     ORDER BY created_at DESC, id LIMIT $3`,
    [actor.userId, actor.organisationId, limit],
  );
  return rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    payload: n.payload,
    createdAt: new Date(n.created_at),
    readAt: n.read_at ? new Date(n.read_at) : null,
  }));
}

/**
 * Marks the actor's notifications read: their own and their organisation's, all that are unread
 * now (for everyone of the organisation: they share one list). Audited on the user with how many
 * were marked; returns that number.
 */
export async function markNotificationsRead(db: RegistryDb, actor: Actor | null): Promise<number> {
  if (!actor) throw new PontisError('unauthenticated', 'sign in to read your notifications');
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `UPDATE notifications SET read_at = now()
       WHERE read_at IS NULL AND (user_id = $1 OR ($2::uuid IS NOT NULL AND organisation_id = $2::uuid))
       RETURNING id`,
      [actor.userId, actor.organisationId],
    );
    await audit(tx, {
      actorId: actor.userId,
      action: 'notifications.read',
      entity: 'user',
      entityId: actor.userId,
      detail: { count: rows.length },
    });
    return rows.length;
  });
}

/** How many of the actor's notifications (their own and their organisation's) are unread. */
export async function unreadNotificationCount(db: Queryable, actor: Actor | null): Promise<number> {
  if (!actor) return 0;
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications
     WHERE read_at IS NULL AND (user_id = $1 OR ($2::uuid IS NOT NULL AND organisation_id = $2::uuid))`,
    [actor.userId, actor.organisationId],
  );
  return rows[0]?.n ?? 0;
}
