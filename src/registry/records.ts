/**
 * Records: create, edit, read and move through the moderation workflow (draft → submitted →
 * published → archived, or rejected with a reason). Each function takes the acting user, checks
 * the role rules (roles.ts) before writing, and writes the change and its audit entry in one
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import { notFound, PontisError } from '../core/errors.ts';
import { audit } from './audit.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { regionsOf } from './geo.ts';
import { refreshMatches } from './matchmaking.ts';
import {
  goalsOf,
  type RecordInput,
  RecordInputSchema,
  type RegistryRecord,
  type Status,
  TRANSITIONS,
} from './model.ts';
import { type Action, type Actor, authorize, can } from './roles.ts';
import { parseInput } from './validate.ts';

export interface RecordRow {
  id: string;
  kind: RegistryRecord['kind'];
  status: Status;
  original_lang: RegistryRecord['originalLang'];
  title: RegistryRecord['title'];
  summary: RegistryRecord['summary'];
  sdgs: number[];
  sdg_targets: string[];
  countries: string[];
  regions: string[];
  sectors: RegistryRecord['sectors'];
  readiness: number | null;
  licence: string | null;
  transfer_terms: RegistryRecord['transferTerms'];
  url: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_consent: boolean;
  sources: string[];
  organisation_id: string | null;
  created_by: string | null;
  moderation_note: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

export const RECORD_COLUMNS = `id, kind, status, original_lang, title, summary, sdgs, sdg_targets, countries,
  regions, sectors, readiness, licence, transfer_terms, url, contact_name, contact_email, contact_consent,
  sources, organisation_id, created_by, moderation_note, created_at, updated_at, published_at`;

export interface StoredRecord extends RegistryRecord {
  regions: string[];
}

export function toRecord(r: RecordRow): StoredRecord {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    originalLang: r.original_lang,
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
    url: r.url,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactConsent: r.contact_consent,
    sources: r.sources,
    organisationId: r.organisation_id,
    createdBy: r.created_by,
    moderationNote: r.moderation_note,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    publishedAt: r.published_at ? new Date(r.published_at) : null,
  };
}

/** The record as the public sees it: contact details only with the author's consent. */
export function publicView(r: StoredRecord): StoredRecord {
  return r.contactConsent ? r : { ...r, contactName: null, contactEmail: null };
}

/** Validates a record input and derives its regions; unknown country codes name their position. */
export function validateRecordInput(input: unknown, where: { file?: string; line?: number } = {}) {
  const parsed = parseInput(RecordInputSchema, input, where);
  // A target names its goal ('9.c' → 9): the goals stored are the union, so SDG facets, filters and
  // the matchmaker see a record tagged only by its targets.
  const rec = { ...parsed, sdgs: goalsOf(parsed) };
  const { regions, unknown } = regionsOf(rec.countries);
  if (unknown.length > 0) {
    const i = rec.countries.indexOf(unknown[0]!);
    throw new PontisError('invalid_input', `unknown country code '${unknown[0]}'`, {
      ...where,
      field: `countries.${i}`,
    });
  }
  return { rec, regions };
}

/** The content columns of a record, in the order of `contentParams`. */
const CONTENT_COLUMNS = [
  'kind',
  'original_lang',
  'title',
  'summary',
  'sdgs',
  'sdg_targets',
  'countries',
  'regions',
  'sectors',
  'readiness',
  'licence',
  'transfer_terms',
  'url',
  'contact_name',
  'contact_email',
  'contact_consent',
  'sources',
] as const;

/** A record's content as query parameters, in the order of CONTENT_COLUMNS. */
export function contentParams(rec: RecordInput, regions: string[]): unknown[] {
  return [
    rec.kind,
    rec.originalLang,
    JSON.stringify(rec.title),
    JSON.stringify(rec.summary),
    rec.sdgs,
    rec.sdgTargets,
    rec.countries,
    regions,
    rec.sectors,
    rec.readiness,
    rec.licence,
    rec.transferTerms,
    rec.url,
    rec.contactName,
    rec.contactEmail,
    rec.contactConsent,
    rec.sources,
  ];
}

/** `kind = $<from>, original_lang = $<from+1>, …`: the SET list of an UPDATE of the content. */
export function contentAssignments(from: number): string {
  return CONTENT_COLUMNS.map((c, i) => `${c} = $${from + i}`).join(', ');
}

const INSERT = `INSERT INTO records (id, status, ${CONTENT_COLUMNS.join(', ')}, organisation_id, created_by, published_at)
  VALUES (${Array.from({ length: CONTENT_COLUMNS.length + 5 }, (_, i) => `$${i + 1}`).join(', ')})
  RETURNING ${RECORD_COLUMNS}`;

/** Inserts a validated record (no role check: callers check). */
export async function insertRecord(
  tx: Queryable,
  rec: RecordInput,
  regions: string[],
  o: { id?: string; status?: Status; organisationId: string | null; createdBy: string | null },
): Promise<StoredRecord> {
  const status = o.status ?? 'draft';
  const rows = await tx.query<RecordRow>(INSERT, [
    o.id ?? randomUUID(),
    status,
    ...contentParams(rec, regions),
    o.organisationId,
    o.createdBy,
    status === 'published' ? new Date() : null,
  ]);
  return toRecord(rows[0]!);
}

export async function createRecord(
  db: RegistryDb,
  actor: Actor | null,
  input: unknown,
  opts: { organisationId?: string | null } = {},
): Promise<StoredRecord> {
  authorize(actor, 'record.create');
  const { rec, regions } = validateRecordInput(input);
  // Only an admin files a record for another organisation.
  const organisationId =
    actor!.role === 'admin' && opts.organisationId !== undefined
      ? opts.organisationId
      : actor!.organisationId;
  return db.transaction(async (tx) => {
    const r = await insertRecord(tx, rec, regions, { organisationId, createdBy: actor!.userId });
    await audit(tx, { actorId: actor!.userId, action: 'record.create', entity: 'record', entityId: r.id });
    return r;
  });
}

async function lockRecord(tx: Queryable, id: string): Promise<StoredRecord> {
  if (!isUuid(id)) throw notFound(`no record '${id}'`, { field: 'id' });
  const rows = await tx.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  if (!rows[0]) throw notFound(`no record '${id}'`, { field: 'id' });
  return toRecord(rows[0]);
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

const target = (r: StoredRecord) => ({
  organisationId: r.organisationId,
  createdBy: r.createdBy,
  status: r.status,
});

/** Replaces a record's content (its status does not change). */
export async function updateRecord(
  db: RegistryDb,
  actor: Actor | null,
  id: string,
  input: unknown,
): Promise<StoredRecord> {
  const { rec, regions } = validateRecordInput(input);
  return db.transaction(async (tx) => {
    const before = await lockRecord(tx, id);
    authorize(actor, 'record.edit', target(before));
    const rows = await tx.query<RecordRow>(
      `UPDATE records SET ${contentAssignments(2)}, updated_at = now() WHERE id = $1 RETURNING ${RECORD_COLUMNS}`,
      [id, ...contentParams(rec, regions)],
    );
    const after = toRecord(rows[0]!);
    await audit(tx, {
      actorId: actor!.userId,
      action: 'record.edit',
      entity: 'record',
      entityId: id,
      detail: { changed: changedFields(before, after) },
    });
    return after;
  });
}

function changedFields(a: StoredRecord, b: StoredRecord): string[] {
  const keys = Object.keys(RecordInputSchema.shape) as (keyof RecordInput)[];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

const ACTION_FOR: Record<Status, Action> = {
  submitted: 'record.submit',
  draft: 'record.withdraw',
  published: 'record.publish',
  rejected: 'record.reject',
  archived: 'record.archive',
};

/**
 * Moves a record to another status: submit (author), withdraw to draft (author), publish or reject
 * with a reason (moderator), archive. A move the workflow does not allow is a conflict.
 */
export async function transitionRecord(
  db: RegistryDb,
  actor: Actor | null,
  id: string,
  to: Status,
  reason?: string,
): Promise<StoredRecord> {
  const after = await db.transaction(async (tx) => {
    const before = await lockRecord(tx, id);
    authorize(actor, ACTION_FOR[to], target(before));
    if (!TRANSITIONS[before.status].includes(to))
      throw new PontisError('conflict', `a ${before.status} record cannot become ${to}`, { field: 'status' });
    if (reason !== undefined && (typeof reason !== 'string' || reason.includes('\u0000')))
      throw new PontisError('invalid_input', 'a reason is text without NUL characters', { field: 'reason' });
    const note = reason?.trim() ?? '';
    if (to === 'rejected' && note.length === 0)
      throw new PontisError('invalid_input', 'a rejection needs a reason', { field: 'reason' });
    if (note.length > 2000)
      throw new PontisError('invalid_input', 'at most 2000 characters', { field: 'reason' });
    const rows = await tx.query<RecordRow>(
      `UPDATE records SET status = $2, updated_at = now(),
         published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END,
         moderation_note = CASE WHEN $2 = 'rejected' THEN $3 WHEN $2 = 'published' THEN NULL ELSE moderation_note END
       WHERE id = $1 RETURNING ${RECORD_COLUMNS}`,
      [id, to, note || null],
    );
    await audit(tx, {
      actorId: actor!.userId,
      action: ACTION_FOR[to],
      entity: 'record',
      entityId: id,
      detail: { from: before.status, to, ...(note ? { reason: note } : {}) },
    });
    return toRecord(rows[0]!);
  });
  // A published need or offer is matched at once; strong matches notify both organisations.
  if (to === 'published' && (after.kind === 'need' || after.kind === 'offer'))
    await refreshMatches(db, after.id);
  return after;
}

/** A record as `actor` may see it: published ones to anyone, others to those the rules allow. */
export async function getRecord(db: Queryable, actor: Actor | null, id: string): Promise<StoredRecord> {
  if (!isUuid(id)) throw notFound(`no record '${id}'`, { field: 'id' });
  const rows = await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, [id]);
  const r = rows[0] ? toRecord(rows[0]) : null;
  if (!r) throw notFound(`no record '${id}'`, { field: 'id' });
  if (r.status === 'published') return publicView(r);
  if (can(actor, 'record.read_unpublished', target(r))) return r;
  throw notFound(`no record '${id}'`, { field: 'id' });
}

/** The moderation queue: submitted records, oldest first. */
export async function moderationQueue(db: Queryable, actor: Actor | null): Promise<StoredRecord[]> {
  authorize(actor, 'moderation.queue');
  const rows = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE status = 'submitted' ORDER BY updated_at, id`,
  );
  return rows.map(toRecord);
}

/** Records of an organisation in any status (for its members), newest first. */
export async function organisationRecords(
  db: Queryable,
  actor: Actor | null,
  organisationId: string,
): Promise<StoredRecord[]> {
  if (!isUuid(organisationId)) throw notFound(`no organisation '${organisationId}'`, { field: 'id' });
  const member = can(actor, 'record.read_unpublished', { organisationId });
  const rows = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE organisation_id = $1 AND ($2 OR status = 'published')
     ORDER BY updated_at DESC, id`,
    [organisationId, member],
  );
  return rows.map((r) => (member ? toRecord(r) : publicView(toRecord(r))));
}
