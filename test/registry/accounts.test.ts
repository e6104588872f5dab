import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PontisError } from '../../src/core/errors.ts';
import {
  addMember,
  changePassword,
  getUser,
  listUsers,
  requestPasswordReset,
  resetPassword,
  setRole,
  signIn,
  signOut,
  signUp,
} from '../../src/registry/accounts.ts';
import { auditTrail } from '../../src/registry/audit.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { outboxTransport, passwordResetMail } from '../../src/registry/mail.ts';
import { LANGS, ROLES, type Role } from '../../src/registry/model.ts';
import {
  ARGON2ID_PARAMS,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from '../../src/registry/passwords.ts';
import { createLimits, type Limits, limitWrite, RateLimiter } from '../../src/registry/rate-limit.ts';
import type { Actor } from '../../src/registry/roles.ts';
import {
  createSession,
  destroyUserSessions,
  getSession,
  purgeExpiredSessions,
  verifyCsrf,
} from '../../src/registry/sessions.ts';
import { BACKENDS } from './backends.ts';
import { addOrg, addUser } from './fixtures.ts';

async function rejects(p: Promise<unknown> | (() => unknown)): Promise<PontisError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as PontisError;
  }
  throw new Error('expected the call to fail');
}

/** A fake clock (milliseconds) and limits that run on it. */
function fakeLimits(): { limits: Limits; advance: (ms: number) => void } {
  let t = Date.UTC(2025, 0, 1);
  return { limits: createLimits(() => t), advance: (ms) => (t += ms) };
}

const PASSWORD = 'correct horse battery staple';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('passwords', () => {
  it('hash with argon2id at the OWASP parameters, and verify', async () => {
    const h = await hashPassword(PASSWORD);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(h).not.toContain(PASSWORD);
    expect(await verifyPassword(h, PASSWORD)).toBe(true);
    expect(await verifyPassword(h, `${PASSWORD}!`)).toBe(false);
    expect(await verifyPassword('not-a-hash', PASSWORD)).toBe(false);
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash(h, { ...ARGON2ID_PARAMS, timeCost: 3 })).toBe(true);
    expect(needsRehash(h, { ...ARGON2ID_PARAMS, memoryCost: 65_536 })).toBe(true);
    expect(needsRehash(h, { ...ARGON2ID_PARAMS, parallelism: 2 })).toBe(true);
    // Another argon2 version (1.0 is v=16), another variant, or no PHC header: re-hash.
    expect(needsRehash(h.replace('$v=19$', '$v=16$'))).toBe(true);
    expect(needsRehash(h.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(needsRehash('not-a-hash')).toBe(true);
    // The same answers as the argon2 package's own needsRehash (which loads the native addon).
    for (const p of [
      ARGON2ID_PARAMS,
      { ...ARGON2ID_PARAMS, timeCost: 3 },
      { ...ARGON2ID_PARAMS, memoryCost: 65_536 },
      { ...ARGON2ID_PARAMS, parallelism: 2 },
    ])
      expect(needsRehash(h, p)).toBe(argon2.needsRehash(h, p));
    // NFKC: the full-width form of a password is the same password.
    expect(
      await verifyPassword(await hashPassword('ｐａｓｓｗｏｒｄ ｆｏｒ ｔｅｓｔｓ'), 'password for tests'),
    ).toBe(true);
  });

  it('policy: length, not the email, not a common password', () => {
    expect(passwordProblem('short')).toBe('too_short');
    expect(passwordProblem('a'.repeat(1025))).toBe('too_long');
    expect(passwordProblem('Ana.Lopez@example.org', 'ana.lopez@example.org')).toBe('same_as_email');
    expect(passwordProblem('password1234')).toBe('too_common');
    expect(passwordProblem('zzzzzzzzzzzzzz')).toBe('too_common');
    expect(passwordProblem(PASSWORD, 'ana@example.org')).toBeNull();
    // Twelve characters, not twelve UTF-16 units.
    expect(passwordProblem('😀'.repeat(11) + 'x')).toBeNull();
    expect(passwordProblem('😀'.repeat(5) + 'x')).toBe('too_short');
    const e = (() => {
      try {
        checkPasswordPolicy('short', undefined, 'newPassword');
      } catch (err) {
        return err as PontisError;
      }
      throw new Error('expected a policy error');
    })();
    expect(e.code).toBe('invalid_input');
    expect(e.location.field).toBe('newPassword');
    expect(e.details).toMatchObject({ reason: 'too_short', min: 12 });
  });
});

describe('rate limiter', () => {
  it('sliding window: refuses past the limit with a retry-after, frees up as events leave', async () => {
    let t = 0;
    const rl = new RateLimiter('test', 3, 60_000, () => t);
    rl.consume('k');
    t = 10_000;
    rl.consume('k');
    t = 20_000;
    rl.consume('k');
    expect(rl.remaining('k')).toBe(0);
    const e = await rejects(() => rl.consume('k'));
    expect(e.code).toBe('rate_limited');
    // The first event (t = 0) leaves the window at 60 s; it is now 20 s.
    expect(e.details).toEqual({ retryAfter: 40, limit: 'test', max: 3, windowSeconds: 60 });
    expect(rl.remaining('other')).toBe(3);
    t = 60_001;
    expect(rl.remaining('k')).toBe(1);
    rl.consume('k');
    expect(await rejects(() => rl.consume('k'))).toMatchObject({ code: 'rate_limited' });
    rl.reset('k');
    expect(rl.remaining('k')).toBe(3);
  });

  it('keeps at most maxKeys keys', () => {
    let t = 0;
    const rl = new RateLimiter('test', 1, 1000, () => t, 3);
    for (const k of ['a', 'b', 'c', 'd']) rl.hit(k);
    expect(rl.remaining('a')).toBe(1); // dropped as the oldest
    expect(rl.remaining('d')).toBe(0);
    t = 5000;
    rl.hit('e');
    expect(rl.remaining('b')).toBe(1);
  });

  it('writes: 60 a minute per user', async () => {
    const { limits, advance } = fakeLimits();
    const u = { userId: 'u1' };
    for (let i = 0; i < 60; i++) limitWrite(u, limits);
    const e = await rejects(() => limitWrite(u, limits));
    expect(e.code).toBe('rate_limited');
    expect(e.details).toMatchObject({ limit: 'write.user', retryAfter: 60 });
    limitWrite({ userId: 'u2' }, limits);
    advance(60_001);
    limitWrite(u, limits);
  });
});

describe('reset mail', () => {
  it('exists in the six UN languages, each with the link', () => {
    const subjects = new Set<string>();
    for (const lang of LANGS) {
      const m = passwordResetMail(lang, {
        to: 'a@example.org',
        displayName: 'Ana',
        link: 'https://x.example/l',
      });
      expect(m.to).toBe('a@example.org');
      expect(m.body).toContain('https://x.example/l\n');
      expect(m.body).toContain('Ana');
      expect(m.subject).toContain('Pontis');
      subjects.add(m.subject);
    }
    expect(subjects.size).toBe(6);
    expect(passwordResetMail('ar', { to: 'a@x.org', displayName: 'A', link: 'L' }).subject).toMatch(
      /[\u0600-\u06ff]/,
    );
    expect(passwordResetMail('zh', { to: 'a@x.org', displayName: 'A', link: 'L' }).body).toMatch(
      /[\u4e00-\u9fff]/,
    );
    expect(passwordResetMail('ru', { to: 'a@x.org', displayName: 'A', link: 'L' }).body).toMatch(/[а-я]/);
  });
});

describe.each(BACKENDS)('accounts on $name', (backend) => {
  let db: RegistryDb;
  let n = 0;
  const email = (tag: string) => `${tag}-${++n}@example.org`;
  const ip = () => `192.0.2.${++n % 250}`;

  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db.close();
  });

  async function newAccount(over: Record<string, unknown> = {}) {
    const e = email('user');
    const user = await signUp(db, { email: e, password: PASSWORD, displayName: 'Ana López', ...over });
    return user;
  }

  describe('sign-up', () => {
    it('names the field at fault', async () => {
      const ok = { email: email('v'), password: PASSWORD, displayName: 'V' };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...ok, email: undefined }, 'email'],
        [{ ...ok, email: 'not an email' }, 'email'],
        [{ ...ok, password: 'short' }, 'password'],
        [{ ...ok, password: undefined }, 'password'],
        [{ ...ok, password: ok.email }, 'password'],
        [{ ...ok, displayName: '   ' }, 'displayName'],
        [{ ...ok, displayName: 'a\nBcc: x@y' }, 'displayName'],
        [{ ...ok, lang: 'de' }, 'lang'],
      ];
      for (const [input, field] of cases) {
        const e = await rejects(signUp(db, input));
        expect(e.code, JSON.stringify(input)).toBe('invalid_input');
        expect(e.location.field, JSON.stringify(input)).toBe(field);
      }
      expect((await rejects(signUp(db, { ...ok, role: 'admin' }))).code).toBe('invalid_input');
      expect(await db.query('SELECT 1 FROM users WHERE email = $1', [ok.email])).toEqual([]);
    });

    it('stores an argon2id hash, never the password; normalises the email; role contributor', async () => {
      const e = email('Mixed.Case');
      const user = await signUp(db, {
        email: `  ${e.toUpperCase()} `,
        password: PASSWORD,
        displayName: ' Ana ',
        lang: 'es',
      });
      expect(user).toMatchObject({
        email: e.toLowerCase(),
        displayName: 'Ana',
        role: 'contributor',
        lang: 'es',
      });
      expect(user.organisationId).toBeNull();
      const [row] = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1',
        [user.id],
      );
      expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(row!.password_hash).not.toContain(PASSWORD);
      const everything = JSON.stringify(await db.query('SELECT * FROM users WHERE id = $1', [user.id]));
      expect(everything).not.toContain(PASSWORD);
      expect(await getUser(db, user.id)).toEqual(user);
      const trail = await auditTrail(db, 'user', user.id);
      expect(trail.map((a) => a.action)).toEqual(['user.sign_up']);
    });

    it('a taken email (in any case) is a conflict on the email', async () => {
      const user = await newAccount();
      const e = await rejects(
        signUp(db, { email: user.email.toUpperCase(), password: 'another long password', displayName: 'B' }),
      );
      expect(e.code).toBe('conflict');
      expect(e.location.field).toBe('email');
    });

    it('is limited per IP address', async () => {
      const { limits } = fakeLimits();
      const from = ip();
      for (let i = 0; i < 10; i++) limits.signUpIp.hit(from);
      const e = await rejects(
        signUp(db, { email: email('s'), password: PASSWORD, displayName: 'S' }, { ip: from, limits }),
      );
      expect(e.code).toBe('rate_limited');
    });
  });

  describe('sign-in and sessions', () => {
    it('right password: a session that resolves to the user; wrong password or unknown email: one error', async () => {
      const { limits } = fakeLimits();
      const user = await newAccount();
      const { user: u, session } = await signIn(
        db,
        { email: user.email, password: PASSWORD },
        { ip: ip(), limits },
      );
      expect(u).toEqual(user);
      expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const s = await getSession(db, session.token);
      expect(s?.user).toEqual(user);
      expect(s?.actor).toEqual({ userId: user.id, role: 'contributor', organisationId: null });
      expect(s?.csrfToken).toBe(session.csrfToken);
      // Only the token's hash is stored.
      const rows = await db.query<{ token_hash: string }>(
        'SELECT token_hash FROM sessions WHERE user_id = $1',
        [user.id],
      );
      expect(rows.map((r) => r.token_hash)).toEqual([sha256(session.token)]);

      const wrong = await rejects(
        signIn(db, { email: user.email, password: 'wrong password here' }, { ip: ip(), limits }),
      );
      const unknown = await rejects(
        signIn(db, { email: email('nobody'), password: PASSWORD }, { ip: ip(), limits }),
      );
      expect(wrong.code).toBe('unauthenticated');
      expect(unknown.code).toBe('unauthenticated');
      expect(unknown.message).toBe(wrong.message);
      expect(unknown.location).toEqual(wrong.location);
      expect(unknown.details).toEqual(wrong.details);
      // An unknown email still costs an argon2 verification (about 40 ms at the real parameters;
      // without it the answer would come back in a millisecond or two).
      const t0 = performance.now();
      await rejects(signIn(db, { email: email('nobody'), password: PASSWORD }, { ip: ip(), limits }));
      expect(performance.now() - t0).toBeGreaterThan(10);
      // The email is matched case-insensitively.
      await signIn(db, { email: ` ${user.email.toUpperCase()}`, password: PASSWORD }, { ip: ip(), limits });

      const actions = (await auditTrail(db, 'user', user.id)).map((a) => a.action);
      expect(actions).toEqual(['user.sign_up', 'user.sign_in', 'user.sign_in_failed', 'user.sign_in']);
      const failed = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.sign_in_failed' AND entity_id IS NULL",
      );
      expect(failed[0]!.n).toBeGreaterThanOrEqual(1);
    });

    it('session fixation: the token from before sign-in no longer resolves after it', async () => {
      const { limits } = fakeLimits();
      const user = await newAccount();
      const anon = await createSession(db, null);
      const before = await getSession(db, anon.token);
      expect(before).toMatchObject({ user: null, actor: null, csrfToken: anon.csrfToken });
      const { session } = await signIn(
        db,
        { email: user.email, password: PASSWORD },
        { ip: ip(), limits, sessionToken: anon.token },
      );
      expect(session.token).not.toBe(anon.token);
      expect(session.csrfToken).not.toBe(anon.csrfToken);
      expect(await getSession(db, anon.token)).toBeNull();
      expect((await getSession(db, session.token))?.user?.id).toBe(user.id);
      // Signing in again from a signed-in session replaces that one too.
      const again = await signIn(
        db,
        { email: user.email, password: PASSWORD },
        { ip: ip(), limits, sessionToken: session.token },
      );
      expect(await getSession(db, session.token)).toBeNull();
      expect(await getSession(db, again.session.token)).not.toBeNull();
    });

    it('sign-out ends the session (and is audited)', async () => {
      const { limits } = fakeLimits();
      const user = await newAccount();
      const a = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      const b = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      await signOut(db, a.session.token);
      expect(await getSession(db, a.session.token)).toBeNull();
      expect(await getSession(db, b.session.token)).not.toBeNull();
      await signOut(db, a.session.token);
      await signOut(db, 'garbage');
      expect(
        (await auditTrail(db, 'user', user.id)).filter((x) => x.action === 'user.sign_out'),
      ).toHaveLength(1);
    });

    it('sessions end when idle for 12 hours, after 7 days, or when the user is disabled; roles are read live', async () => {
      const user = await newAccount();
      const s = await createSession(db, user.id);
      const days = (s.expiresAt.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThan(7.01);
      const anon = await createSession(db, null);
      expect((anon.expiresAt.getTime() - Date.now()) / 3_600_000).toBeCloseTo(12, 1);
      const h = sha256(s.token);

      // Touched at most once a minute.
      await db.query(
        "UPDATE sessions SET last_seen_at = now() - interval '30 seconds' WHERE token_hash = $1",
        [h],
      );
      const seen = async () =>
        (
          await db.query<{ s: number }>(
            'SELECT extract(epoch FROM now() - last_seen_at)::int AS s FROM sessions WHERE token_hash = $1',
            [h],
          )
        )[0]!.s;
      await getSession(db, s.token);
      expect(await seen()).toBeGreaterThanOrEqual(29);
      await db.query(
        "UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE token_hash = $1",
        [h],
      );
      await getSession(db, s.token);
      expect(await seen()).toBeLessThan(5);

      await db.query("UPDATE sessions SET last_seen_at = now() - interval '11 hours' WHERE token_hash = $1", [
        h,
      ]);
      expect(await getSession(db, s.token)).not.toBeNull();
      await db.query("UPDATE sessions SET last_seen_at = now() - interval '13 hours' WHERE token_hash = $1", [
        h,
      ]);
      expect(await getSession(db, s.token)).toBeNull();

      const s2 = await createSession(db, user.id);
      await setRole(db, (await addUser(db, 'admin')) as Actor, user.id, 'moderator');
      expect((await getSession(db, s2.token))?.actor?.role).toBe('moderator');
      await db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
        sha256(s2.token),
      ]);
      expect(await getSession(db, s2.token)).toBeNull();

      const s3 = await createSession(db, user.id);
      await db.query('UPDATE users SET disabled = true WHERE id = $1', [user.id]);
      expect(await getSession(db, s3.token)).toBeNull();
      const e = await rejects(
        signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits: fakeLimits().limits }),
      );
      expect(e.code).toBe('forbidden');

      expect(await getSession(db, 'x'.repeat(43))).toBeNull();
      expect(await getSession(db, undefined)).toBeNull();
      expect(await purgeExpiredSessions(db)).toBeGreaterThanOrEqual(2);
      expect(await db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [h])).toEqual([]);
    });

    it('CSRF: the session’s own token passes, anything else fails', async () => {
      const a = await createSession(db, null);
      const b = await createSession(db, null);
      const sa = await getSession(db, a.token);
      expect(verifyCsrf(sa, a.csrfToken)).toBe(true);
      expect(verifyCsrf(sa, b.csrfToken)).toBe(false);
      expect(verifyCsrf(sa, a.csrfToken.slice(1))).toBe(false);
      expect(verifyCsrf(sa, '')).toBe(false);
      expect(verifyCsrf(sa, undefined)).toBe(false);
      expect(verifyCsrf(sa, [a.csrfToken])).toBe(false);
      expect(verifyCsrf(null, a.csrfToken)).toBe(false);
      expect(a.csrfToken).not.toBe(b.csrfToken);
    });
  });

  describe('brute force', () => {
    it('the 6th attempt for an email is rate-limited even with the right password, until the window passes', async () => {
      const { limits, advance } = fakeLimits();
      const user = await newAccount();
      for (let i = 0; i < 5; i++) {
        const e = await rejects(
          signIn(db, { email: user.email, password: `wrong guess no ${i}` }, { ip: ip(), limits }),
        );
        expect(e.code).toBe('unauthenticated');
      }
      const e = await rejects(signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits }));
      expect(e.code).toBe('rate_limited');
      const d = e.details as { retryAfter: number; limit: string };
      expect(d.limit).toBe('login.email');
      expect(d.retryAfter).toBeGreaterThan(0);
      expect(d.retryAfter).toBeLessThanOrEqual(15 * 60);
      // The email in another case is the same email.
      expect(
        (
          await rejects(
            signIn(db, { email: user.email.toUpperCase(), password: PASSWORD }, { ip: ip(), limits }),
          )
        ).code,
      ).toBe('rate_limited');
      advance(15 * 60_000 + 1000);
      const ok = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      expect(ok.user.id).toBe(user.id);
      // A success clears the email's failures: five more wrong attempts are answered as such.
      for (let i = 0; i < 5; i++)
        expect(
          (await rejects(signIn(db, { email: user.email, password: 'wrong again!!' }, { ip: ip(), limits })))
            .code,
        ).toBe('unauthenticated');
      expect(
        (await rejects(signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits }))).code,
      ).toBe('rate_limited');
    });

    it('parallel attempts cannot slip under the limit', async () => {
      const { limits } = fakeLimits();
      const user = await newAccount();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          rejects(signIn(db, { email: user.email, password: `parallel guess ${i}` }, { ip: ip(), limits })),
        ),
      );
      const codes = results.map((e) => e.code).sort();
      expect(codes.filter((c) => c === 'unauthenticated')).toHaveLength(5);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(5);
    });

    it('20 failures from one IP address block it for any email', async () => {
      const { limits, advance } = fakeLimits();
      const from = ip();
      const user = await newAccount();
      for (let i = 0; i < 20; i++)
        await rejects(signIn(db, { email: email('spray'), password: PASSWORD }, { ip: from, limits }));
      const e = await rejects(signIn(db, { email: user.email, password: PASSWORD }, { ip: from, limits }));
      expect(e.code).toBe('rate_limited');
      expect((e.details as { limit: string }).limit).toBe('login.ip');
      // Another address is not blocked; successes do not count against an address.
      await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      advance(15 * 60_000 + 1000);
      for (let i = 0; i < 21; i++)
        await signIn(db, { email: user.email, password: PASSWORD }, { ip: from, limits });
    });
  });

  describe('password reset', () => {
    const baseUrl = 'https://pontis.example/';

    async function lastMail(to: string) {
      const rows = await db.query<{ subject: string; body: string }>(
        'SELECT subject, body FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1',
        [to],
      );
      return rows[0];
    }
    const tokenIn = (body: string) => /reset-password\?token=([A-Za-z0-9_-]{43})\n/.exec(body)?.[1];

    it('end to end through the outbox: single use, old password out, all sessions ended', async () => {
      const { limits } = fakeLimits();
      const mail = outboxTransport(db);
      const user = await newAccount({ lang: 'fr' });
      const s1 = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      const s2 = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });

      expect(
        await requestPasswordReset(db, mail, ` ${user.email.toUpperCase()}`, { baseUrl, limits }),
      ).toBeUndefined();
      const m = await lastMail(user.email);
      expect(m?.subject).toBe('Réinitialiser votre mot de passe Pontis');
      expect(m?.body).toContain('Bonjour Ana López');
      expect(m?.body).toContain(`${baseUrl}fr/reset-password?token=`);
      const token = tokenIn(m!.body)!;
      expect(token).toBeDefined();
      // Only the hash is kept, with an expiry one hour ahead.
      const [r] = await db.query<{ token_hash: string; mins: number }>(
        'SELECT token_hash, extract(epoch FROM expires_at - now())::int / 60 AS mins FROM password_resets WHERE user_id = $1',
        [user.id],
      );
      expect(r!.token_hash).toBe(sha256(token));
      expect(r!.mins).toBeGreaterThanOrEqual(59);
      expect(r!.mins).toBeLessThanOrEqual(60);

      // A new password failing the policy leaves the link usable.
      expect((await rejects(resetPassword(db, token, 'short'))).location.field).toBe('password');

      const NEW = 'a brand new passphrase';
      expect((await resetPassword(db, token, NEW, { limits })).id).toBe(user.id);
      expect(await getSession(db, s1.session.token)).toBeNull();
      expect(await getSession(db, s2.session.token)).toBeNull();
      expect(await db.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id])).toEqual([]);
      expect(
        (await rejects(signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits }))).code,
      ).toBe('unauthenticated');
      await signIn(db, { email: user.email, password: NEW }, { ip: ip(), limits });

      const reuse = await rejects(resetPassword(db, token, 'yet another passphrase'));
      expect(reuse.code).toBe('invalid_input');
      expect(reuse.location.field).toBe('token');
      await signIn(db, { email: user.email, password: NEW }, { ip: ip(), limits });

      const actions = (await auditTrail(db, 'user', user.id)).map((a) => a.action);
      expect(actions).toContain('user.password_reset_request');
      expect(actions.slice(-4)).toEqual([
        'user.password_reset',
        'user.sign_in_failed',
        'user.sign_in',
        'user.sign_in',
      ]);
      const reset = (await auditTrail(db, 'user', user.id)).find((a) => a.action === 'user.password_reset');
      expect(reset?.detail).toEqual({ sessionsEnded: 2 });
    });

    it('an expired or unknown token is refused; a new link voids on use the older ones', async () => {
      const { limits } = fakeLimits();
      const mail = outboxTransport(db);
      const user = await newAccount();
      await requestPasswordReset(db, mail, user.email, { baseUrl, limits });
      const t1 = tokenIn((await lastMail(user.email))!.body)!;
      await db.query(
        "UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
        [sha256(t1)],
      );
      const expired = await rejects(resetPassword(db, t1, 'a brand new passphrase'));
      const unknown = await rejects(resetPassword(db, 'A'.repeat(43), 'a brand new passphrase'));
      const garbage = await rejects(resetPassword(db, "'; DROP TABLE users; --", 'a brand new passphrase'));
      for (const e of [expired, unknown, garbage]) {
        expect(e.code).toBe('invalid_input');
        expect(e.location.field).toBe('token');
        expect(e.message).toBe(expired.message);
      }
      await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });

      await requestPasswordReset(db, mail, user.email, { baseUrl, limits });
      const t2 = tokenIn((await lastMail(user.email))!.body)!;
      await requestPasswordReset(db, mail, user.email, { baseUrl, limits });
      const t3 = tokenIn((await lastMail(user.email))!.body)!;
      expect(t3).not.toBe(t2);
      await resetPassword(db, t3, 'a brand new passphrase');
      expect((await rejects(resetPassword(db, t2, 'another new passphrase'))).location.field).toBe('token');
    });

    it('answers the same for an unknown email, and mails nothing', async () => {
      const { limits } = fakeLimits();
      const nobody = email('nobody');
      const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      expect(
        await requestPasswordReset(db, outboxTransport(db), nobody, { baseUrl, limits }),
      ).toBeUndefined();
      const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      expect(after[0]!.n).toBe(before[0]!.n);
      expect(
        (await rejects(requestPasswordReset(db, outboxTransport(db), 'nope', { baseUrl, limits }))).location
          .field,
      ).toBe('email');
      expect(
        (
          await rejects(
            requestPasswordReset(db, outboxTransport(db), nobody, { baseUrl: 'javascript:alert(1)', limits }),
          )
        ).location.field,
      ).toBe('baseUrl');
    });

    it('is limited to 3 mails an hour per email, existing or not', async () => {
      const { limits, advance } = fakeLimits();
      const user = await newAccount();
      const nobody = email('nobody');
      for (const to of [user.email, nobody]) {
        for (let i = 0; i < 3; i++)
          await requestPasswordReset(db, outboxTransport(db), to, { baseUrl, limits });
        const e = await rejects(requestPasswordReset(db, outboxTransport(db), to, { baseUrl, limits }));
        expect(e.code).toBe('rate_limited');
      }
      advance(3_600_001);
      await requestPasswordReset(db, outboxTransport(db), user.email, { baseUrl, limits });
    });
  });

  describe('password change', () => {
    it('checks the current password and ends the other sessions', async () => {
      const { limits } = fakeLimits();
      const user = await newAccount();
      const here = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      const there = await signIn(db, { email: user.email, password: PASSWORD }, { ip: ip(), limits });
      const actor = (await getSession(db, here.session.token))!.actor;
      const NEW = 'changed passphrase here';

      expect(
        (await rejects(changePassword(db, null, { currentPassword: PASSWORD, newPassword: NEW }))).code,
      ).toBe('unauthenticated');
      const wrong = await rejects(
        changePassword(db, actor, { currentPassword: 'not my password', newPassword: NEW }, { limits }),
      );
      expect(wrong.location.field).toBe('currentPassword');
      expect(
        (await rejects(changePassword(db, actor, { currentPassword: PASSWORD, newPassword: 'short' })))
          .location.field,
      ).toBe('newPassword');

      await changePassword(
        db,
        actor,
        { currentPassword: PASSWORD, newPassword: NEW },
        { limits, sessionToken: here.session.token },
      );
      expect(await getSession(db, here.session.token)).not.toBeNull();
      expect(await getSession(db, there.session.token)).toBeNull();
      await signIn(db, { email: user.email, password: NEW }, { ip: ip(), limits });
      expect((await auditTrail(db, 'user', user.id)).map((a) => a.action)).toContain('user.change_password');
    });
  });

  describe('roles and membership', () => {
    let orgA: string;
    let orgB: string;
    const actors = {} as Record<Role | 'orgAdminB', Actor>;

    beforeAll(async () => {
      orgA = (await addOrg(db, `Accounts Org A ${backend.name}`)).id;
      orgB = (await addOrg(db, `Accounts Org B ${backend.name}`)).id;
      for (const r of ROLES)
        actors[r] = await addUser(db, r, r === 'admin' || r === 'moderator' ? null : orgA);
      actors.orgAdminB = await addUser(db, 'org_admin', orgB);
    });

    it('setRole: admins only', async () => {
      const target = await newAccount();
      for (const r of ROLES) {
        if (r === 'admin') continue;
        const e = await rejects(setRole(db, actors[r], target.id, 'moderator'));
        expect(e.code, r).toBe('forbidden');
        expect(e.location.field).toBe('user.set_role');
      }
      expect((await rejects(setRole(db, null, target.id, 'moderator'))).code).toBe('unauthenticated');
      expect((await rejects(setRole(db, actors.admin, target.id, 'superuser'))).location.field).toBe('role');
      expect(
        (await rejects(setRole(db, actors.admin, '00000000-0000-4000-8000-000000000000', 'viewer'))).code,
      ).toBe('not_found');
      const u = await setRole(db, actors.admin, target.id, 'moderator');
      expect(u.role).toBe('moderator');
      expect((await getUser(db, target.id)).role).toBe('moderator');
      const trail = await auditTrail(db, 'user', target.id);
      expect(trail.at(-1)).toMatchObject({
        action: 'user.set_role',
        actor_id: actors.admin.userId,
        detail: { from: 'contributor', to: 'moderator' },
      });
    });

    it('setRole: the last admin keeps the role', async () => {
      const fresh = await backend.open();
      try {
        const admin = await addUser(fresh, 'admin');
        expect((await rejects(setRole(fresh, admin, admin.userId, 'viewer'))).code).toBe('conflict');
        const second = await addUser(fresh, 'admin');
        await setRole(fresh, admin, admin.userId, 'viewer');
        expect((await rejects(setRole(fresh, second, second.userId, 'contributor'))).code).toBe('conflict');
      } finally {
        await fresh.close();
      }
    });

    it('addMember: the organisation’s org admin (up to org_admin) or an admin', async () => {
      const a = await newAccount();
      // The org admin of A adds by email, in any case, up to org_admin.
      let u = await addMember(db, actors.org_admin, orgA, a.email.toUpperCase(), 'contributor');
      expect(u).toMatchObject({ id: a.id, organisationId: orgA, role: 'contributor' });
      u = await addMember(db, actors.org_admin, orgA, a.id, 'org_admin');
      expect(u.role).toBe('org_admin');
      const e1 = await rejects(addMember(db, actors.org_admin, orgA, a.id, 'moderator'));
      expect(e1.code).toBe('forbidden');

      const b = await newAccount();
      // Not for another organisation, and not by lower roles or a moderator.
      expect((await rejects(addMember(db, actors.org_admin, orgB, b.id, 'contributor'))).code).toBe(
        'forbidden',
      );
      for (const r of ['viewer', 'contributor', 'moderator'] as const)
        expect((await rejects(addMember(db, actors[r], orgA, b.id, 'contributor'))).code, r).toBe(
          'forbidden',
        );
      expect((await rejects(addMember(db, null, orgA, b.id, 'contributor'))).code).toBe('unauthenticated');

      // The org admin of B cannot take A's member, nor demote a moderator or an admin by adding them.
      expect((await rejects(addMember(db, actors.orgAdminB, orgB, a.id, 'contributor'))).code).toBe(
        'forbidden',
      );
      expect((await getUser(db, a.id)).organisationId).toBe(orgA);
      expect(
        (await rejects(addMember(db, actors.orgAdminB, orgB, actors.moderator.userId, 'contributor'))).code,
      ).toBe('forbidden');
      expect((await rejects(addMember(db, actors.orgAdminB, orgB, actors.admin.userId, 'viewer'))).code).toBe(
        'forbidden',
      );
      expect((await getUser(db, actors.moderator.userId)).role).toBe('moderator');

      // An admin may do anything, including moving a member and giving any role.
      u = await addMember(db, actors.admin, orgB, a.id, 'moderator');
      expect(u).toMatchObject({ organisationId: orgB, role: 'moderator' });
      expect((await rejects(addMember(db, actors.admin, orgB, email('nobody'), 'viewer'))).code).toBe(
        'not_found',
      );
      expect((await rejects(addMember(db, actors.admin, 'no-such-org', a.id, 'viewer'))).location.field).toBe(
        'organisationId',
      );

      const trail = await auditTrail(db, 'organisation', orgA);
      expect(trail.map((t) => t.detail)).toEqual([
        { userId: a.id, role: 'contributor', previousRole: 'contributor', previousOrganisationId: null },
        { userId: a.id, role: 'org_admin', previousRole: 'contributor', previousOrganisationId: orgA },
      ]);
      expect(
        trail.every((t) => t.action === 'organisation.add_member' && t.actor_id === actors.org_admin.userId),
      ).toBe(true);
    });

    it('listUsers: everyone for an admin, an organisation’s members for its org admin', async () => {
      const all = await listUsers(db, actors.admin, { limit: 1000 });
      expect(all.length).toBeGreaterThan(5);
      expect(all.map((u) => u.email)).toEqual([...all.map((u) => u.email)].sort());
      expect(JSON.stringify(all)).not.toContain('argon2');
      const members = await listUsers(db, actors.org_admin, { organisationId: orgA });
      expect(members.length).toBeGreaterThan(0);
      expect(members.every((u) => u.organisationId === orgA)).toBe(true);
      expect((await rejects(listUsers(db, actors.org_admin))).code).toBe('forbidden');
      expect((await rejects(listUsers(db, actors.org_admin, { organisationId: orgB }))).code).toBe(
        'forbidden',
      );
      expect((await rejects(listUsers(db, actors.moderator))).code).toBe('forbidden');
      expect((await rejects(listUsers(db, null))).code).toBe('unauthenticated');
    });

    it('destroyUserSessions keeps the one named', async () => {
      const user = await newAccount();
      const keep = await createSession(db, user.id);
      await createSession(db, user.id);
      await createSession(db, user.id);
      expect(await destroyUserSessions(db, user.id, keep.token)).toBe(2);
      expect(await getSession(db, keep.token)).not.toBeNull();
    });
  });
});
