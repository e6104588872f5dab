/** Users and organisations for registry tests, written straight into a migrated database. */
import { randomUUID } from 'node:crypto';
import type { PontisError } from '../../src/core/errors.ts';
import type { Queryable } from '../../src/registry/db.ts';
import type { RecordInput, Role } from '../../src/registry/model.ts';
import { insertOrganisation } from '../../src/registry/organisations.ts';
import type { Actor } from '../../src/registry/roles.ts';

export async function addOrg(
  db: Queryable,
  name: string,
  stakeholderType: 'government' | 'academia' = 'government',
) {
  return insertOrganisation(db, { name, stakeholderType, country: null, url: null });
}

/** A user with a role (the password hash is not a real one: these users never sign in). */
export async function addUser(
  db: Queryable,
  role: Role,
  organisationId: string | null = null,
): Promise<Actor> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO users (id, email, display_name, password_hash, role, organisation_id) VALUES ($1, $2, $3, 'x', $4, $5)`,
    [id, `${role}-${id.slice(0, 8)}@example.org`, `${role} user`, role, organisationId],
  );
  return { userId: id, role, organisationId };
}

/** A minimal valid record input (kind and text given by the caller). */
export function recordInput(over: Partial<RecordInput> & Pick<RecordInput, 'kind'>): Record<string, unknown> {
  return {
    title: { en: 'Solar-powered cold storage for smallholder farmers' },
    summary: { en: 'Off-grid refrigeration units that cut post-harvest losses of fruit and vegetables.' },
    originalLang: 'en',
    ...over,
  };
}

/** The error a call fails with (the test fails if it does not fail). */
export async function rejects(p: Promise<unknown>): Promise<PontisError> {
  try {
    await p;
  } catch (e) {
    return e as PontisError;
  }
  throw new Error('expected the call to fail');
}
