/**
 * Registry import and export: records (and organisations) from a JSON or CSV file, validated as a
 * whole and written in one transaction (a file with any invalid row writes nothing), keyed so that
 * importing the same file again updates what it created instead of adding copies.
 *
 * JSON: `{ "organisations": [{ "key", "name", "stakeholderType", "country", "url" }],
 *          "records": [{ "key", "organisation": "<organisation key or name>", "status", …record fields }] }`
 *   (data/registry/seed.json is such a file), or just an array of records.
 * CSV: one record a line, columns `key, kind, status, organisation, original_lang, title_<lang>,
 *   summary_<lang>` (lang = ar, zh, en, fr, ru, es), `sdgs, sdg_targets, countries, sectors,
 *   readiness, licence, transfer_terms, url, sources, contact_name, contact_email, contact_consent`;
 *   lists separated by `;`; `organisation` names an organisation already in the registry.
 *
 * `exportRegistry` writes the same JSON shape (or CSV), so an export imports back unchanged.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { formatIssue, PontisError, type RowIssue } from '../core/errors.ts';
import { audit } from './audit.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { refreshMatches } from './matchmaking.ts';
import { LANGS, type OrganisationInput, type RecordInput, STATUSES, type Status } from './model.ts';
import { insertOrganisation, validateOrganisation } from './organisations.ts';
import {
  contentAssignments,
  contentParams,
  insertRecord,
  RECORD_COLUMNS,
  type RecordRow,
  type StoredRecord,
  toRecord,
  validateRecordInput,
} from './records.ts';

/** The CSV layout, for import and export alike. */
export const CSV_COLUMNS: readonly string[] = [
  'key',
  'kind',
  'status',
  'organisation',
  'original_lang',
  ...LANGS.map((l) => `title_${l}`),
  ...LANGS.map((l) => `summary_${l}`),
  'sdgs',
  'sdg_targets',
  'countries',
  'sectors',
  'readiness',
  'licence',
  'transfer_terms',
  'url',
  'sources',
  'contact_name',
  'contact_email',
  'contact_consent',
];

const KEY = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'a key of lower-case letters, digits, . _ - (at most 100)');
const IMPORT_STATUSES = STATUSES.filter((s) => s !== 'rejected') as Exclude<Status, 'rejected'>[];

interface ParsedOrg {
  key: string;
  org: OrganisationInput;
  where: string;
}
interface ParsedRecord {
  key: string;
  organisation: string | null;
  status: Status;
  rec: RecordInput;
  regions: string[];
  line?: number;
  where: string;
}

export interface ImportReport {
  file: string;
  organisations: { created: number; updated: number; unchanged: number };
  records: { created: number; updated: number; unchanged: number };
  /** New strong matches notified after the import (needs and offers that were published). */
  notified: number;
}

export interface ImportOptions {
  /** Status of records that give none (default published: an import is an operator's act). */
  status?: Exclude<Status, 'rejected'>;
  /** The name shown in errors (default: the path). */
  name?: string;
}

/** Reads a JSON or CSV file's text into validated organisations and records, or throws every issue. */
export function parseImport(
  name: string,
  text: string,
  o: ImportOptions = {},
): { orgs: ParsedOrg[]; records: ParsedRecord[] } {
  const issues: RowIssue[] = [];
  const orgs: ParsedOrg[] = [];
  const records: ParsedRecord[] = [];
  const defaultStatus = o.status ?? 'published';
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.length === 0) throw new PontisError('invalid_input', 'the file is empty', { file: name });

  const collect = (fn: () => void, line: number, fieldPrefix: string) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
      const fromDetails = Array.isArray(e.details)
        ? (e.details as { field: string; reason: string }[])
        : null;
      if (fromDetails && fromDetails.length > 0)
        for (const d of fromDetails)
          issues.push({
            file: name,
            line,
            field: [fieldPrefix, d.field].filter(Boolean).join('.'),
            reason: d.reason,
          });
      else
        issues.push({
          file: name,
          line,
          field: [fieldPrefix, e.location.field].filter(Boolean).join('.'),
          reason: e.message,
        });
    }
  };

  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (e) {
      throw new PontisError('invalid_input', `not valid JSON: ${(e as Error).message}`, { file: name });
    }
    const body = Array.isArray(doc) ? { records: doc } : doc;
    if (!body || typeof body !== 'object')
      throw new PontisError('invalid_input', 'expected an object with "records" or an array', { file: name });
    const { organisations = [], records: recs, ...rest } = body as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0)
      throw new PontisError('invalid_input', `unknown top-level field '${extra[0]}'`, {
        file: name,
        field: extra[0],
      });
    if (!Array.isArray(recs))
      throw new PontisError('invalid_input', 'expected an array "records"', { file: name, field: 'records' });
    if (!Array.isArray(organisations))
      throw new PontisError('invalid_input', 'expected an array', { file: name, field: 'organisations' });
    for (const [i, raw] of organisations.entries())
      collect(
        () => {
          const { key, ...org } = (raw ?? {}) as Record<string, unknown>;
          const k = KEY.safeParse(key);
          if (!k.success)
            throw new PontisError('invalid_input', k.error.issues[0]!.message, { field: 'key' });
          orgs.push({ key: k.data, org: validateOrganisation(org), where: `organisations.${i}` });
        },
        i + 1,
        `organisations.${i}`,
      );
    for (const [i, raw] of recs.entries())
      collect(
        () => {
          const { key, organisation, status, ...input } = (raw ?? {}) as Record<string, unknown>;
          records.push(recordFrom(key, organisation, status, input, defaultStatus, `records.${i}`));
        },
        i + 1,
        `records.${i}`,
      );
  } else {
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    try {
      rows = parse(trimmed, { columns: true, info: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (e) {
      throw new PontisError('invalid_input', `not valid CSV: ${(e as Error).message}`, { file: name });
    }
    const header = rows[0] ? Object.keys(rows[0].record) : [];
    const known = new Set<string>(CSV_COLUMNS);
    const unknownCol = header.find((h) => !known.has(h));
    if (unknownCol)
      throw new PontisError('invalid_input', `unknown column '${unknownCol}'`, { file: name, line: 1 });
    for (const c of ['key', 'kind', 'original_lang'])
      if (rows.length > 0 && !header.includes(c))
        throw new PontisError('invalid_input', `missing column '${c}'`, { file: name, line: 1 });
    for (const { record: r, info } of rows) {
      const line = info.lines;
      collect(
        () => {
          const list = (s: string | undefined) =>
            (s ?? '')
              .split(';')
              .map((x) => x.trim())
              .filter((x) => x.length > 0);
          const text = (prefix: string) =>
            Object.fromEntries(LANGS.flatMap((l) => (r[`${prefix}_${l}`] ? [[l, r[`${prefix}_${l}`]]] : [])));
          const num = (s: string, field: string) => {
            if (!/^\d+$/.test(s))
              throw new PontisError('invalid_input', `'${s}' is not a whole number`, { field });
            return Number(s);
          };
          const input = {
            kind: r.kind,
            originalLang: r.original_lang,
            title: text('title'),
            summary: text('summary'),
            sdgs: list(r.sdgs).map((s) => num(s, 'sdgs')),
            sdgTargets: list(r.sdg_targets),
            countries: list(r.countries),
            sectors: list(r.sectors),
            readiness: r.readiness ? num(r.readiness, 'readiness') : null,
            licence: r.licence || null,
            transferTerms: list(r.transfer_terms),
            url: r.url || null,
            sources: list(r.sources),
            contactName: r.contact_name || null,
            contactEmail: r.contact_email || null,
            contactConsent: bool(r.contact_consent ?? ''),
          };
          records.push(
            recordFrom(r.key, r.organisation || null, r.status || undefined, input, defaultStatus, '', line),
          );
        },
        line,
        '',
      );
    }
  }

  const dupes = (keys: { key: string; line?: number }[], what: string) => {
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      if (seen.has(k.key))
        issues.push({
          file: name,
          line: k.line ?? i + 1,
          field: `${what}key`,
          reason: `key '${k.key}' appears twice`,
        });
      seen.add(k.key);
    });
  };
  dupes(orgs, 'organisations.');
  dupes(records, '');
  if (issues.length > 0) throw rejected(name, issues);
  return { orgs, records };
}

function bool(s: string): boolean {
  const v = s.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes' || v === '1') return true;
  throw new PontisError('invalid_input', `'${s}' is not true or false`, { field: 'contact_consent' });
}

function recordFrom(
  key: unknown,
  organisation: unknown,
  status: unknown,
  input: unknown,
  defaultStatus: Status,
  where: string,
  line?: number,
): ParsedRecord {
  const k = KEY.safeParse(key);
  if (!k.success) throw new PontisError('invalid_input', k.error.issues[0]!.message, { field: 'key' });
  if (organisation !== null && organisation !== undefined && typeof organisation !== 'string')
    throw new PontisError('invalid_input', 'an organisation key or name', { field: 'organisation' });
  const st = status === undefined ? defaultStatus : status;
  if (typeof st !== 'string' || !(IMPORT_STATUSES as string[]).includes(st))
    throw new PontisError('invalid_input', `status is one of ${IMPORT_STATUSES.join(', ')}`, {
      field: 'status',
    });
  const { rec, regions } = validateRecordInput(input);
  return {
    key: k.data,
    organisation: (organisation as string | null | undefined) ?? null,
    status: st as Status,
    rec,
    regions,
    line,
    where,
  };
}

function rejected(file: string, issues: RowIssue[]): PontisError {
  const shown = issues.slice(0, 50).map(formatIssue);
  const more = issues.length > 50 ? `\n… and ${issues.length - 50} more` : '';
  return new PontisError(
    'invalid_input',
    `${file}: ${new Set(issues.map((i) => i.line)).size} invalid row(s), ${issues.length} problem(s); nothing was imported\n${shown.join('\n')}${more}`,
    { file },
    issues,
  );
}

/** JSON with object keys sorted (PostgreSQL's jsonb does not keep the order they were written in). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Imports a file's text (JSON or CSV) in one transaction. */
export async function importRegistry(
  db: RegistryDb,
  name: string,
  text: string,
  o: ImportOptions = {},
): Promise<ImportReport> {
  const { orgs, records } = parseImport(o.name ?? name, text, o);
  const report: ImportReport = {
    file: o.name ?? name,
    organisations: { created: 0, updated: 0, unchanged: 0 },
    records: { created: 0, updated: 0, unchanged: 0 },
    notified: 0,
  };
  const toMatch: string[] = [];
  await db.transaction(async (tx) => {
    const orgIds = new Map<string, string>();
    for (const p of orgs) {
      const ex = await tx.query<{
        id: string;
        name: string;
        stakeholder_type: string;
        country: string | null;
        url: string | null;
      }>('SELECT id, name, stakeholder_type, country, url FROM organisations WHERE import_key = $1', [p.key]);
      const row = ex[0];
      if (!row) {
        const org = await insertOrganisation(tx, p.org, randomUUID()).catch((e: unknown) => {
          throw at(e, report.file, p.where);
        });
        await tx.query('UPDATE organisations SET import_key = $2 WHERE id = $1', [org.id, p.key]);
        orgIds.set(p.key, org.id);
        report.organisations.created++;
      } else {
        orgIds.set(p.key, row.id);
        const now = {
          name: p.org.name,
          stakeholder_type: p.org.stakeholderType,
          country: p.org.country,
          url: p.org.url,
        };
        if (
          same(now, {
            name: row.name,
            stakeholder_type: row.stakeholder_type,
            country: row.country,
            url: row.url,
          })
        )
          report.organisations.unchanged++;
        else {
          await tx.query(
            'UPDATE organisations SET name = $2, stakeholder_type = $3, country = $4, url = $5, updated_at = now() WHERE id = $1',
            [row.id, p.org.name, p.org.stakeholderType, p.org.country, p.org.url],
          );
          report.organisations.updated++;
        }
      }
    }
    for (const p of records) {
      const organisationId = p.organisation ? await resolveOrg(tx, orgIds, p, report.file) : null;
      const ex = await tx.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE import_key = $1`, [
        p.key,
      ]);
      const before = ex[0] ? toRecord(ex[0]) : null;
      let id: string;
      if (!before) {
        const r = await insertRecord(tx, p.rec, p.regions, {
          status: p.status,
          organisationId,
          createdBy: null,
        });
        await tx.query('UPDATE records SET import_key = $2 WHERE id = $1', [r.id, p.key]);
        await audit(tx, {
          actorId: null,
          action: 'record.import',
          entity: 'record',
          entityId: r.id,
          detail: { file: report.file, key: p.key },
        });
        report.records.created++;
        id = r.id;
      } else {
        id = before.id;
        if (unchanged(before, p, organisationId)) {
          report.records.unchanged++;
          continue;
        }
        await tx.query(
          `UPDATE records SET ${contentAssignments(2)}, organisation_id = $19, status = $20, updated_at = now(),
             published_at = CASE WHEN $20 = 'published' AND published_at IS NULL THEN now() ELSE published_at END
           WHERE id = $1`,
          [id, ...contentParams(p.rec, p.regions), organisationId, p.status],
        );
        await audit(tx, {
          actorId: null,
          action: 'record.import',
          entity: 'record',
          entityId: id,
          detail: { file: report.file, key: p.key, updated: true },
        });
        report.records.updated++;
      }
      if (p.status === 'published' && (p.rec.kind === 'need' || p.rec.kind === 'offer')) toMatch.push(id);
    }
    await audit(tx, {
      actorId: null,
      action: 'registry.import',
      entity: 'import',
      entityId: null,
      detail: { file: report.file, organisations: report.organisations, records: report.records },
    });
  });
  for (const id of toMatch) report.notified += (await refreshMatches(db, id)).notified.length;
  return report;
}

function unchanged(before: StoredRecord, p: ParsedRecord, organisationId: string | null): boolean {
  const keys = Object.keys(p.rec) as (keyof RecordInput)[];
  return (
    keys.every((k) => same(before[k], p.rec[k])) &&
    before.status === p.status &&
    before.organisationId === organisationId
  );
}

async function resolveOrg(
  tx: Queryable,
  ids: Map<string, string>,
  p: ParsedRecord,
  file: string,
): Promise<string> {
  const ref = p.organisation!;
  const known = ids.get(ref);
  if (known) return known;
  const rows = await tx.query<{ id: string }>(
    'SELECT id FROM organisations WHERE import_key = $1 OR lower(name) = lower($1) ORDER BY (import_key = $1) DESC LIMIT 1',
    [ref],
  );
  if (!rows[0])
    throw new PontisError('invalid_input', `unknown organisation '${ref}'; nothing was imported`, {
      file,
      ...(p.line ? { line: p.line } : {}),
      field: [p.where, 'organisation'].filter(Boolean).join('.'),
    });
  ids.set(ref, rows[0].id);
  return rows[0].id;
}

function at(e: unknown, file: string, where: string): unknown {
  if (e instanceof PontisError)
    return new PontisError(e.code, `${e.message}; nothing was imported`, {
      file,
      field: `${where}.${e.location.field ?? ''}`,
    });
  return e;
}

export interface RegistryExport {
  organisations: ({ key: string } & OrganisationInput)[];
  records: ({ key: string; organisation: string | null; status: Status } & RecordInput)[];
}

/** Every organisation and record (all statuses but rejected unless `published` only), keyed. */
export async function exportRegistry(
  db: Queryable,
  o: { publishedOnly?: boolean } = {},
): Promise<RegistryExport> {
  const orgRows = await db.query<{
    id: string;
    import_key: string | null;
    name: string;
    stakeholder_type: OrganisationInput['stakeholderType'];
    country: string | null;
    url: string | null;
  }>(
    'SELECT id, import_key, name, stakeholder_type, country, url FROM organisations ORDER BY lower(name), id',
  );
  const orgKey = new Map(orgRows.map((r) => [r.id, r.import_key ?? `org-${r.id}`]));
  const recRows = await db.query<RecordRow & { import_key: string | null }>(
    `SELECT ${RECORD_COLUMNS}, import_key FROM records WHERE status <> 'rejected' AND ($1 = false OR status = 'published')
     ORDER BY created_at, import_key NULLS LAST, id`,
    [o.publishedOnly === true],
  );
  const records = recRows.map((row) => {
    const r = toRecord(row);
    const rec: RecordInput = {
      kind: r.kind,
      title: r.title,
      summary: r.summary,
      originalLang: r.originalLang,
      sdgs: r.sdgs,
      sdgTargets: r.sdgTargets,
      countries: r.countries,
      sectors: r.sectors,
      readiness: r.readiness,
      licence: r.licence,
      transferTerms: r.transferTerms,
      url: r.url,
      sources: r.sources,
      // Contacts leave the registry only with consent.
      contactName: r.contactConsent ? r.contactName : null,
      contactEmail: r.contactConsent ? r.contactEmail : null,
      contactConsent: r.contactConsent,
    };
    return {
      key: row.import_key ?? `rec-${r.id}`,
      organisation: r.organisationId ? (orgKey.get(r.organisationId) ?? null) : null,
      status: r.status,
      ...rec,
    };
  });
  const used = new Set(records.map((r) => r.organisation));
  return {
    organisations: orgRows
      .filter((r) => used.has(orgKey.get(r.id)!))
      .map((r) => ({
        key: orgKey.get(r.id)!,
        name: r.name,
        stakeholderType: r.stakeholder_type,
        country: r.country,
        url: r.url,
      })),
    records,
  };
}

/** The export as CSV (the import's CSV columns; organisations by name). */
export function exportCsv(e: RegistryExport): string {
  const names = new Map(e.organisations.map((o) => [o.key, o.name]));
  const cols = CSV_COLUMNS;
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
    return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [cols.join(',')];
  for (const r of e.records) {
    const row: Record<string, unknown> = {
      key: r.key,
      kind: r.kind,
      status: r.status,
      organisation: r.organisation ? names.get(r.organisation) : '',
      original_lang: r.originalLang,
      ...Object.fromEntries(LANGS.map((l) => [`title_${l}`, r.title[l]])),
      ...Object.fromEntries(LANGS.map((l) => [`summary_${l}`, r.summary[l]])),
      sdgs: r.sdgs,
      sdg_targets: r.sdgTargets,
      countries: r.countries,
      sectors: r.sectors,
      readiness: r.readiness,
      licence: r.licence,
      transfer_terms: r.transferTerms,
      url: r.url,
      sources: r.sources,
      contact_name: r.contactName,
      contact_email: r.contactEmail,
      contact_consent: r.contactConsent,
    };
    lines.push(cols.map((c) => cell(row[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
