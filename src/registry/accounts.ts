/**
 * Accounts: sign-up, sign-in and sign-out, password change and reset, roles and organisation
 * membership. Library level: the HTTP layer calls these with the request's session token and IP
 * address, and checks the CSRF token (sessions.ts verifyCsrf) before any of the writes.
 *
 * - Sign-up gives the role `contributor` (the database's default too): a contributor can write
 *   drafts, and nothing they write is public before a moderator publishes it, so self-registration
 *   cannot put content on the site; joining an organisation (and any higher role) takes its org
 *   admin or an admin (`addMember`, `setRole`).
 * - Emails are trimmed and lower-cased before they are stored or looked up.
 * - Sign-in answers "wrong email or password" alike for an unknown email and a wrong password, and
 *   takes as long for both (a dummy argon2 verification); it is rate-limited per email and per IP
 *   (rate-limit.ts), and always issues a new session, discarding the one the visitor came with.
 * - A password reset answers the same whether or not the email has an account; the link carries a
 *   random token valid for one hour, once; only its SHA-256 is stored. Using it sets the password,
 *   voids the user's other reset links and ends all their sessions.
 * - Every write goes with its audit entry in one transaction (audit.ts); failed sign-ins are
 *   audited too (without the email typed, which may be a mistyped password).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound, PontisError } from '../core/errors.ts';
import { audit } from './audit.ts';
import type { Queryable, RegistryDb } from './db.ts';
import { type MailTransport, passwordResetMail } from './mail.ts';
import { LANGS, ROLES, type Role, type User } from './model.ts';
import {
  type Argon2Params,
  checkPasswordPolicy,
  dummyVerify,
  hashPassword,
  needsRehash,
  PASSWORD_MAX,
  verifyPassword,
} from './passwords.ts';
import { defaultLimits, type Limits } from './rate-limit.ts';
import { isUuid } from './records.ts';
import { type Actor, authorize, can } from './roles.ts';
import {
  destroyUserSessions,
  isToken,
  type NewSession,
  randomToken,
  rotateSession,
  tokenHash,
  toUser,
  USER_COLUMNS,
  type UserRow,
} from './sessions.ts';
import { parseInput } from './validate.ts';

/** The role a new account gets (see the header). */
export const DEFAULT_ROLE: Role = 'contributor';

/** How long a password-reset link works. */
export const RESET_TOKEN_SECONDS = 3600;

/** What tests (and a deployment) may swap: the rate limits and the argon2 parameters. */
export interface AccountOptions {
  limits?: Limits;
  argon2?: Argon2Params;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const EmailSchema = z
  .string('an email address')
  .trim()
  .toLowerCase()
  .max(320, 'at most 320 characters')
  .email('an email address');

const SignUpSchema = z
  .object({
    email: EmailSchema,
    password: z.string('a password'),
    displayName: z
      .string('a display name')
      .trim()
      .min(1, 'a display name')
      .max(200, 'at most 200 characters')
      .refine((s) => !/\p{Cc}/u.test(s), 'no control characters'),
    lang: z.enum(LANGS).default('en'),
  })
  .strict();

const SignInSchema = z
  .object({
    email: z.string('an email address').trim().toLowerCase().max(320, 'at most 320 characters'),
    password: z.string('a password').max(PASSWORD_MAX * 4, 'too long'),
  })
  .strict();

const ChangePasswordSchema = z
  .object({
    currentPassword: z.string('the current password').max(PASSWORD_MAX * 4, 'too long'),
    newPassword: z.string('a new password'),
  })
  .strict();

const RoleSchema = z.enum(ROLES);

const WRONG_CREDENTIALS = 'wrong email or password';

interface AuthRow extends UserRow {
  password_hash: string;
  disabled: boolean;
}

const isUniqueViolation = (e: unknown) => (e as { code?: unknown } | null)?.code === '23505';

const emailTaken = () =>
  new PontisError('conflict', 'an account with this email address exists already', { field: 'email' });

/**
 * Creates an account (role `contributor`). Invalid input names its field; a taken email is a
 * conflict. With `ip`, sign-ups are limited per address.
 */
export async function signUp(
  db: RegistryDb,
  input: unknown,
  ctx: { ip?: string } & AccountOptions = {},
): Promise<User> {
  const v = parseInput(SignUpSchema, input);
  checkPasswordPolicy(v.password, v.email);
  if (ctx.ip !== undefined) (ctx.limits ?? defaultLimits).signUpIp.consume(ctx.ip);
  // Hashed before the duplicate check, so a taken email answers no faster than a free one.
  const hash = await hashPassword(v.password, ctx.argon2);
  try {
    return await db.transaction(async (tx) => {
      const dup = await tx.query('SELECT 1 FROM users WHERE email = $1', [v.email]);
      if (dup.length > 0) throw emailTaken();
      const rows = await tx.query<UserRow>(
        `INSERT INTO users (id, email, display_name, password_hash, role, lang) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${USER_COLUMNS}`,
        [randomUUID(), v.email, v.displayName, hash, DEFAULT_ROLE, v.lang],
      );
      const user = toUser(rows[0]!);
      await audit(tx, {
        actorId: user.id,
        action: 'user.sign_up',
        entity: 'user',
        entityId: user.id,
        detail: { role: user.role, ...(ctx.ip !== undefined ? { ip: ctx.ip } : {}) },
      });
      return user;
    });
  } catch (e) {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if (isUniqueViolation(e)) throw emailTaken();
    throw e;
  }
}

/**
 * Signs in: checks the rate limits, then the password, and returns the user with a new session
 * (the cookie gets `session.token`). `sessionToken` is the session the visitor had before (an
 * anonymous one, or another user's): it is destroyed. Wrong email and wrong password are the same
 * 'unauthenticated' error; a disabled account is 'forbidden' (only told after the right password).
 */
export async function signIn(
  db: RegistryDb,
  input: unknown,
  ctx: { ip: string; sessionToken?: string | null } & AccountOptions,
): Promise<{ user: User; session: NewSession }> {
  const { email, password } = parseInput(SignInSchema, input);
  const limits = ctx.limits ?? defaultLimits;
  // Checked and counted before the first await: parallel attempts cannot all slip under the limit.
  limits.loginIp.check(ctx.ip);
  limits.loginEmail.check(email);
  limits.loginIp.hit(ctx.ip);
  limits.loginEmail.hit(email);

  const rows = await db.query<AuthRow>(
    `SELECT ${USER_COLUMNS}, password_hash, disabled FROM users WHERE email = $1`,
    [email],
  );
  const row = rows[0];
  const ok = row
    ? await verifyPassword(row.password_hash, password, ctx.argon2)
    : await dummyVerify(password, ctx.argon2);
  if (!row || !ok) {
    await audit(db, {
      actorId: null,
      action: 'user.sign_in_failed',
      entity: 'user',
      entityId: row?.id ?? null,
      detail: { ip: ctx.ip },
    });
    throw new PontisError('unauthenticated', WRONG_CREDENTIALS);
  }
  // The right password: this attempt was no failure.
  limits.loginIp.release(ctx.ip);
  limits.loginEmail.reset(email);
  if (row.disabled) throw new PontisError('forbidden', 'this account is disabled');

  const rehash = needsRehash(row.password_hash, ctx.argon2) ? await hashPassword(password, ctx.argon2) : null;
  return db.transaction(async (tx) => {
    if (rehash)
      await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
        row.id,
        rehash,
      ]);
    const session = await rotateSession(tx, ctx.sessionToken, row.id);
    await audit(tx, {
      actorId: row.id,
      action: 'user.sign_in',
      entity: 'user',
      entityId: row.id,
      detail: { ip: ctx.ip, ...(rehash ? { rehashed: true } : {}) },
    });
    return { user: toUser(row), session };
  });
}

/** Ends the session `token` names (unknown or malformed tokens: nothing happens). */
export async function signOut(db: RegistryDb, token: unknown): Promise<void> {
  if (!isToken(token)) return;
  await db.transaction(async (tx) => {
    const rows = await tx.query<{ user_id: string | null }>(
      'DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id',
      [tokenHash(token)],
    );
    const userId = rows[0]?.user_id;
    if (userId)
      await audit(tx, { actorId: userId, action: 'user.sign_out', entity: 'user', entityId: userId });
  });
}

/**
 * Mails a password-reset link when `email` has an (enabled) account, and does nothing otherwise:
 * the caller answers "if the address has an account, a link is on its way" either way. Limited per
 * email (whether or not it exists) and, with `ip`, per address. `baseUrl` is the site's configured
 * public address, never the request's Host header (which an attacker chooses); the link is
 * `{baseUrl}/{lang}/reset-password?token=…` (that page should send Referrer-Policy: no-referrer).
 */
export async function requestPasswordReset(
  db: RegistryDb,
  mail: MailTransport,
  email: unknown,
  ctx: { baseUrl: string; ip?: string } & AccountOptions,
): Promise<void> {
  const e = parseInput(EmailSchema, email, { field: 'email' });
  const base = parseInput(z.url({ protocol: /^https?$/ }), ctx.baseUrl, { field: 'baseUrl' }).replace(
    /\/+$/,
    '',
  );
  const limits = ctx.limits ?? defaultLimits;
  if (ctx.ip !== undefined) limits.resetIp.consume(ctx.ip);
  limits.resetEmail.consume(e);
  const rows = await db.query<UserRow & { disabled: boolean }>(
    `SELECT ${USER_COLUMNS}, disabled FROM users WHERE email = $1`,
    [e],
  );
  const u = rows[0];
  if (!u || u.disabled) return;
  const token = randomToken();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO password_resets (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + $3::integer * interval '1 second')`,
      [tokenHash(token), u.id, RESET_TOKEN_SECONDS],
    );
    await audit(tx, {
      actorId: null,
      action: 'user.password_reset_request',
      entity: 'user',
      entityId: u.id,
      detail: ctx.ip !== undefined ? { ip: ctx.ip } : {},
    });
  });
  const link = `${base}/${u.lang}/reset-password?token=${token}`;
  await mail.send(passwordResetMail(u.lang, { to: u.email, displayName: u.display_name, link }));
}

const badResetToken = () =>
  new PontisError(
    'invalid_input',
    'this password-reset link is invalid, used or expired; ask for a new one',
    {
      field: 'token',
    },
  );

/**
 * Sets a new password with a reset link's token: once (the token is marked used), within its hour,
 * and ends all of the user's sessions (and voids their other reset links). An unknown, used or
 * expired token is one and the same error; a new password that fails the policy leaves the token
 * usable.
 */
export async function resetPassword(
  db: RegistryDb,
  token: unknown,
  newPassword: unknown,
  opts: AccountOptions = {},
): Promise<User> {
  if (!isToken(token)) throw badResetToken();
  const password = parseInput(z.string('a new password'), newPassword, { field: 'password' });
  const hash = tokenHash(token);
  const live = `r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()`;
  const found = await db.query<{ email: string }>(
    `SELECT u.email FROM password_resets r JOIN users u ON u.id = r.user_id WHERE ${live} AND NOT u.disabled`,
    [hash],
  );
  if (!found[0]) throw badResetToken();
  checkPasswordPolicy(password, found[0].email);
  const passwordHash = await hashPassword(password, opts.argon2);
  const user = await db.transaction(async (tx) => {
    // Decided here, under the row lock: of two uses at once, only one finds the token unused.
    const used = await tx.query<{ user_id: string }>(
      `UPDATE password_resets r SET used_at = now() WHERE ${live} RETURNING r.user_id`,
      [hash],
    );
    if (!used[0]) throw badResetToken();
    const userId = used[0].user_id;
    await tx.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [
      userId,
    ]);
    const rows = await tx.query<UserRow>(
      `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [userId, passwordHash],
    );
    const sessionsEnded = await destroyUserSessions(tx, userId);
    await audit(tx, {
      actorId: userId,
      action: 'user.password_reset',
      entity: 'user',
      entityId: userId,
      detail: { sessionsEnded },
    });
    return toUser(rows[0]!);
  });
  // Whoever proved they read the mail is no longer locked out by someone else's guesses.
  (opts.limits ?? defaultLimits).loginEmail.reset(user.email);
  return user;
}

/**
 * Changes the signed-in user's password after checking the current one (a wrong current password
 * counts as a failed sign-in of that email), and ends their other sessions (`sessionToken`, the
 * current one, stays).
 */
export async function changePassword(
  db: RegistryDb,
  actor: Actor | null,
  input: unknown,
  ctx: { sessionToken?: string } & AccountOptions = {},
): Promise<void> {
  if (!actor) throw new PontisError('unauthenticated', 'sign in to change your password');
  const v = parseInput(ChangePasswordSchema, input);
  const rows = await db.query<AuthRow>(
    `SELECT ${USER_COLUMNS}, password_hash, disabled FROM users WHERE id = $1`,
    [actor.userId],
  );
  const u = rows[0];
  if (!u || u.disabled) throw new PontisError('unauthenticated', 'sign in to change your password');
  checkPasswordPolicy(v.newPassword, u.email, 'newPassword');
  if (v.newPassword === v.currentPassword)
    throw new PontisError('invalid_input', 'the new password is the current one', { field: 'newPassword' });
  const limits = ctx.limits ?? defaultLimits;
  limits.loginEmail.check(u.email);
  limits.loginEmail.hit(u.email);
  if (!(await verifyPassword(u.password_hash, v.currentPassword, ctx.argon2)))
    throw new PontisError('invalid_input', 'the current password is wrong', { field: 'currentPassword' });
  limits.loginEmail.release(u.email);
  const passwordHash = await hashPassword(v.newPassword, ctx.argon2);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
      u.id,
      passwordHash,
    ]);
    const sessionsEnded = await destroyUserSessions(tx, u.id, ctx.sessionToken);
    await audit(tx, {
      actorId: u.id,
      action: 'user.change_password',
      entity: 'user',
      entityId: u.id,
      detail: { sessionsEnded },
    });
  });
}

async function lockUser(tx: Queryable, idOrEmail: string, field: string): Promise<UserRow> {
  const byId = isUuid(idOrEmail);
  const rows = await tx.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE ${byId ? 'id' : 'email'} = $1 FOR UPDATE`,
    [byId ? idOrEmail.toLowerCase() : normaliseEmail(idOrEmail)],
  );
  if (!rows[0]) throw notFound(`no user '${idOrEmail}'`, { field });
  return rows[0];
}

/** Refuses to take the admin role from the last (enabled) admin: nobody could give it back. */
async function keepAnAdmin(tx: Queryable, user: UserRow, newRole: Role): Promise<void> {
  if (user.role !== 'admin' || newRole === 'admin') return;
  // Locking every admin row serialises two admins demoting each other at once.
  const admins = await tx.query<{ id: string }>(
    "SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE",
  );
  if (!admins.some((a) => a.id !== user.id))
    throw new PontisError('conflict', 'the last admin keeps the admin role', { field: 'role' });
}

/** Gives a user a role (admins only). */
export async function setRole(
  db: RegistryDb,
  actor: Actor | null,
  userId: string,
  role: unknown,
): Promise<User> {
  const r = parseInput(RoleSchema, role, { field: 'role' });
  authorize(actor, 'user.set_role', { role: r });
  return db.transaction(async (tx) => {
    const before = await lockUser(tx, userId, 'userId');
    await keepAnAdmin(tx, before, r);
    const rows = await tx.query<UserRow>(
      `UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [before.id, r],
    );
    await audit(tx, {
      actorId: actor!.userId,
      action: 'user.set_role',
      entity: 'user',
      entityId: before.id,
      detail: { from: before.role, to: r },
    });
    return toUser(rows[0]!);
  });
}

/**
 * Makes a user (by id or email) a member of an organisation with a role: the organisation's org
 * admin (roles up to org_admin, and only for users not in another organisation and not above
 * org_admin now) or an admin (anything). Audited on the organisation.
 */
export async function addMember(
  db: RegistryDb,
  actor: Actor | null,
  organisationId: string,
  userEmailOrId: string,
  role: unknown,
): Promise<User> {
  const r = parseInput(RoleSchema, role, { field: 'role' });
  authorize(actor, 'organisation.add_member', { organisationId, role: r });
  return db.transaction(async (tx) => {
    const org = isUuid(organisationId)
      ? await tx.query('SELECT 1 FROM organisations WHERE id = $1', [organisationId])
      : [];
    if (org.length === 0) throw notFound(`no organisation '${organisationId}'`, { field: 'organisationId' });
    const before = await lockUser(tx, userEmailOrId, 'user');
    // The actor must also be allowed to manage the user as they are now: an org admin cannot take a
    // member from another organisation, nor change a moderator's or an admin's role this way.
    authorize(actor, 'organisation.add_member', {
      organisationId: before.organisation_id ?? organisationId,
      role: before.role,
    });
    await keepAnAdmin(tx, before, r);
    const rows = await tx.query<UserRow>(
      `UPDATE users SET organisation_id = $2, role = $3, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [before.id, organisationId, r],
    );
    await audit(tx, {
      actorId: actor!.userId,
      action: 'organisation.add_member',
      entity: 'organisation',
      entityId: organisationId,
      detail: {
        userId: before.id,
        role: r,
        previousRole: before.role,
        previousOrganisationId: before.organisation_id,
      },
    });
    return toUser(rows[0]!);
  });
}

export async function getUser(db: Queryable, id: string): Promise<User> {
  if (!isUuid(id)) throw notFound(`no user '${id}'`, { field: 'id' });
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound(`no user '${id}'`, { field: 'id' });
  return toUser(rows[0]);
}

/**
 * Users by email: all of them for an admin, or the members of one organisation for its org admin
 * (and for an admin).
 */
export async function listUsers(
  db: Queryable,
  actor: Actor | null,
  opts: { organisationId?: string; limit?: number; offset?: number } = {},
): Promise<User[]> {
  if (opts.organisationId !== undefined)
    authorize(actor, 'organisation.add_member', { organisationId: opts.organisationId });
  else if (!can(actor, 'user.set_role'))
    // Listing every account is an admin's power, like setting roles.
    throw new PontisError(
      actor ? 'forbidden' : 'unauthenticated',
      actor ? `not allowed: user.list (role ${actor.role})` : 'sign in to user.list',
      { field: 'user.list' },
    );
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
  const offset = Math.max(Math.trunc(opts.offset ?? 0), 0);
  if (opts.organisationId !== undefined && !isUuid(opts.organisationId)) return [];
  const rows =
    opts.organisationId !== undefined
      ? await db.query<UserRow>(
          `SELECT ${USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY email LIMIT $2 OFFSET $3`,
          [opts.organisationId, limit, offset],
        )
      : await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY email LIMIT $1 OFFSET $2`, [
          limit,
          offset,
        ]);
  return rows.map(toUser);
}
