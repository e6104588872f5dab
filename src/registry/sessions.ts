/**
 * Server-side sessions. The cookie carries a random 32-byte token (base64url); the `sessions` table
 * keeps only its SHA-256, so a leaked table does not give anyone a session. Each session has its own
 * CSRF token (random, stored), which forms carry in a hidden field and `verifyCsrf` checks in
 * constant time.
 *
 * Lifetimes (checked against the database's clock):
 *   - idle timeout 12 hours: a session not used for that long is over (last_seen_at is refreshed at
 *     most once a minute, so the idle limit is exact to a minute);
 *   - absolute lifetime 7 days from sign-in, however active the session is;
 *   - anonymous sessions (no user: they exist so that the sign-in, sign-up and reset forms carry a
 *     CSRF token too) last at most 12 hours.
 *
 * Session fixation: signing in never upgrades the session a visitor arrived with. `rotateSession`
 * deletes the pre-sign-in token and issues a new one, which is the only token that resolves to the
 * user afterwards. Signing out, a password reset and a password change delete the rows, so a stolen
 * token stops working at once.
 *
 * For the HTTP layer: cookie `__Host-pontis_session`, HttpOnly, Secure, SameSite=Lax, Path=/,
 * Max-Age up to `expiresAt`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.ts';
import type { Lang, Role, User } from './model.ts';
import type { Actor } from './roles.ts';

export const SESSION_IDLE_SECONDS = 12 * 3600;
export const SESSION_ABSOLUTE_SECONDS = 7 * 24 * 3600;
export const ANONYMOUS_SESSION_SECONDS = 12 * 3600;
/** last_seen_at is written at most this often per session. */
export const SESSION_TOUCH_SECONDS = 60;

export const SESSION_COOKIE = '__Host-pontis_session';

/** A session just issued: `token` goes into the cookie and is not stored anywhere. */
export interface NewSession {
  token: string;
  csrfToken: string;
  userId: string | null;
  expiresAt: Date;
}

/** A session as a request sees it. `user` and `actor` are null for an anonymous session. */
export interface Session {
  user: User | null;
  actor: Actor | null;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The users' columns (password hash excepted) and their mapping, shared with accounts.ts. */
export const USER_COLUMNS = 'id, email, display_name, role, organisation_id, lang, created_at';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  organisation_id: string | null;
  lang: Lang;
  created_at: Date;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  organisationId: r.organisation_id,
  lang: r.lang,
  createdAt: new Date(r.created_at),
});

export const actorOf = (u: Pick<User, 'id' | 'role' | 'organisationId'>): Actor => ({
  userId: u.id,
  role: u.role,
  organisationId: u.organisationId,
});

/** A fresh random token: 32 bytes, base64url (43 characters). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** SHA-256 (hex) of a token: what the tables store for session and reset tokens. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether a string can be a token at all (anything else is not looked up). */
export const isToken = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s);

/** Starts a session for a user, or an anonymous one (`userId` null). */
export async function createSession(db: Queryable, userId: string | null): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const lifetime = userId === null ? ANONYMOUS_SESSION_SECONDS : SESSION_ABSOLUTE_SECONDS;
  const rows = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + $4::integer * interval '1 second') RETURNING expires_at`,
    [tokenHash(token), userId, csrfToken, lifetime],
  );
  return { token, csrfToken, userId, expiresAt: new Date(rows[0]!.expires_at) };
}

interface SessionRow extends Partial<UserRow> {
  user_id: string | null;
  csrf_token: string;
  s_created_at: Date;
  expires_at: Date;
  touch: boolean;
  disabled: boolean | null;
}

/**
 * The live session a cookie token names, with its user (role and organisation read now, so a role
 * change applies to the next request), or null: unknown, expired, idle too long, or its user
 * disabled.
 */
export async function getSession(db: Queryable, token: unknown): Promise<Session | null> {
  if (!isToken(token)) return null;
  const hash = tokenHash(token);
  const rows = await db.query<SessionRow>(
    `SELECT s.user_id, s.csrf_token, s.created_at AS s_created_at, s.expires_at,
            s.last_seen_at < now() - $2::integer * interval '1 second' AS touch,
            u.id, u.email, u.display_name, u.role, u.organisation_id, u.lang, u.created_at, u.disabled
     FROM sessions s LEFT JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - $3::integer * interval '1 second'`,
    [hash, SESSION_TOUCH_SECONDS, SESSION_IDLE_SECONDS],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.user_id !== null && (r.id == null || r.disabled)) return null;
  if (r.touch) await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [hash]);
  const user = r.user_id === null ? null : toUser(r as UserRow);
  return {
    user,
    actor: user ? actorOf(user) : null,
    csrfToken: r.csrf_token,
    createdAt: new Date(r.s_created_at),
    expiresAt: new Date(r.expires_at),
  };
}

/**
 * Discards `oldToken`'s session (if any) and issues a new one for `userId`: on sign-in, so that a
 * token planted before sign-in (session fixation) is worthless after it.
 */
export async function rotateSession(
  db: Queryable,
  oldToken: string | null | undefined,
  userId: string | null,
): Promise<NewSession> {
  if (isToken(oldToken)) await destroySession(db, oldToken);
  return createSession(db, userId);
}

/** Ends one session (sign-out). Unknown tokens are ignored. */
export async function destroySession(db: Queryable, token: unknown): Promise<void> {
  if (!isToken(token)) return;
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
}

/** Ends all of a user's sessions, except the one `keepToken` names; returns how many ended. */
export async function destroyUserSessions(
  db: Queryable,
  userId: string,
  keepToken?: string,
): Promise<number> {
  const keep = isToken(keepToken) ? tokenHash(keepToken) : '';
  const rows = await db.query<{ n: number }>(
    `WITH d AS (DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [userId, keep],
  );
  return rows[0]?.n ?? 0;
}

/** Deletes sessions past their lifetime or idle timeout (housekeeping; run now and then). */
export async function purgeExpiredSessions(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH d AS (DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1::integer * interval '1 second'
     RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [SESSION_IDLE_SECONDS],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Whether `token` (from a form field or header) is the session's CSRF token. Compared in constant
 * time (both sides hashed first, so their lengths are equal and say nothing).
 */
export function verifyCsrf(session: Pick<Session, 'csrfToken'> | null | undefined, token: unknown): boolean {
  if (!session || typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
  const a = createHash('sha256').update(session.csrfToken).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}
