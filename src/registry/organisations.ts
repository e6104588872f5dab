/** Organisations (with their stakeholder type) and their members. */
import { randomUUID } from 'node:crypto';
import { notFound, PontisError } from '../core/errors.ts';
import { audit } from './audit.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { registryGeos } from './geo.ts';
import { type Organisation, type OrganisationInput, OrganisationInputSchema } from './model.ts';
import { isUuid } from './records.ts';
import { type Actor, authorize } from './roles.ts';
import { parseInput } from './validate.ts';

interface OrgRow {
  id: string;
  name: string;
  stakeholder_type: Organisation['stakeholderType'];
  country: string | null;
  url: string | null;
  created_at: Date;
}

const COLUMNS = 'id, name, stakeholder_type, country, url, created_at';

const toOrg = (r: OrgRow): Organisation => ({
  id: r.id,
  name: r.name,
  stakeholderType: r.stakeholder_type,
  country: r.country,
  url: r.url,
  createdAt: new Date(r.created_at),
});

export function validateOrganisation(input: unknown, where: { file?: string; line?: number } = {}) {
  const o = parseInput(OrganisationInputSchema, input, where);
  if (o.country && !registryGeos().has(o.country))
    throw new PontisError('invalid_input', `unknown country code '${o.country}'`, {
      ...where,
      field: 'country',
    });
  return o;
}

/** Inserts a validated organisation (no role check: callers check); a duplicate name is a conflict. */
export async function insertOrganisation(tx: Queryable, o: OrganisationInput, id = randomUUID()) {
  const dup = await tx.query('SELECT 1 FROM organisations WHERE lower(name) = lower($1)', [o.name]);
  if (dup.length > 0)
    throw new PontisError('conflict', `an organisation named '${o.name}' exists already`, { field: 'name' });
  const rows = await tx.query<OrgRow>(
    `INSERT INTO organisations (id, name, stakeholder_type, country, url) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [id, o.name, o.stakeholderType, o.country, o.url],
  );
  return toOrg(rows[0]!);
}

export async function createOrganisation(
  db: RegistryDb,
  actor: Actor | null,
  input: unknown,
): Promise<Organisation> {
  authorize(actor, 'organisation.create');
  const o = validateOrganisation(input);
  return db.transaction(async (tx) => {
    const org = await insertOrganisation(tx, o);
    await audit(tx, {
      actorId: actor!.userId,
      action: 'organisation.create',
      entity: 'organisation',
      entityId: org.id,
    });
    return org;
  });
}

export async function updateOrganisation(
  db: RegistryDb,
  actor: Actor | null,
  id: string,
  input: unknown,
): Promise<Organisation> {
  authorize(actor, 'organisation.edit', { organisationId: id });
  const o = validateOrganisation(input);
  return db.transaction(async (tx) => {
    const dup = await tx.query('SELECT 1 FROM organisations WHERE lower(name) = lower($1) AND id <> $2', [
      o.name,
      id,
    ]);
    if (dup.length > 0)
      throw new PontisError('conflict', `an organisation named '${o.name}' exists already`, {
        field: 'name',
      });
    const rows = await tx.query<OrgRow>(
      `UPDATE organisations SET name = $2, stakeholder_type = $3, country = $4, url = $5, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, o.name, o.stakeholderType, o.country, o.url],
    );
    if (!rows[0]) throw notFound(`no organisation '${id}'`, { field: 'id' });
    await audit(tx, {
      actorId: actor!.userId,
      action: 'organisation.edit',
      entity: 'organisation',
      entityId: id,
    });
    return toOrg(rows[0]);
  });
}

export async function getOrganisation(db: Queryable, id: string): Promise<Organisation> {
  if (!isUuid(id)) throw notFound(`no organisation '${id}'`, { field: 'id' });
  const rows = await db.query<OrgRow>(`SELECT ${COLUMNS} FROM organisations WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound(`no organisation '${id}'`, { field: 'id' });
  return toOrg(rows[0]);
}

export async function listOrganisations(db: Queryable): Promise<Organisation[]> {
  return (await db.query<OrgRow>(`SELECT ${COLUMNS} FROM organisations ORDER BY lower(name), id`)).map(toOrg);
}
