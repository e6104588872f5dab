/**
 * The registry's pages under attack, on every backend: the authorization matrix (every write route
 * × every role, the policy written out as a table), stored XSS, SQL injection in the search and its
 * filters, CSRF on every form route, session fixation, the secure cookie's attributes, login brute
 * force, and random form bodies and query strings that must never make the server fail (5xx).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryDb } from '../../src/registry/db.ts';
import { hashPassword } from '../../src/registry/passwords.ts';
import { createLimits, type Limits, RateLimiter } from '../../src/registry/rate-limit.ts';
import { createRecord, transitionRecord } from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { getSession, SESSION_COOKIE } from '../../src/registry/sessions.ts';
import { expressInterest } from '../../src/registry/threads.ts';
import { SEARCH_PARAMS } from '../../src/web/registry/query.ts';
import { BACKENDS } from '../registry/backends.ts';
import { addOrg, addUser } from '../registry/fixtures.ts';
import { location, registryApp, TEST_ARGON2, tableCounts, Visitor } from './registry-helpers.ts';

const KNOWN_PASSWORD = 'a known fixture passphrase';

/** Gives a fixture user (whose hash is a dummy) a real password. */
async function setPassword(db: RegistryDb, userId: string, password = KNOWN_PASSWORD): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
    userId,
    await hashPassword(password, TEST_ARGON2),
  ]);
}

/** Who is asking: nobody, or a user with a role (and, for ownership, another organisation). */
const WHO = ['anonymous', 'viewer', 'author', 'otherOrg', 'orgAdmin', 'moderator', 'admin'] as const;
type Who = (typeof WHO)[number];

/**
 * The policy, as the pages answer it. `author` is a contributor of organisation A who wrote the
 * records (or owns the need) being acted on; `viewer` and `orgAdmin` are in A too; `otherOrg` is a
 * contributor of organisation B; the moderator and the admin belong to no organisation. 303 = done
 * (redirect to the result), 401 = sign in first, 403 = not allowed, 404 = not visible to this
 * visitor (unpublished records and private threads are not even admitted to exist).
 *
 * | route                 | anonymous | viewer | author | otherOrg | orgAdmin | moderator | admin |
 */
const MATRIX: Record<string, Record<Who, number>> = {
  'create record': row(401, 403, 303, 303, 303, 303, 303),
  'edit own draft': row(401, 404, 303, 404, 303, 403, 303),
  'submit draft': row(401, 403, 303, 403, 303, 403, 303),
  'withdraw submitted': row(401, 403, 303, 403, 303, 403, 303),
  'publish submitted': row(401, 403, 403, 403, 403, 303, 303),
  'reject submitted': row(401, 403, 403, 403, 403, 303, 303),
  'archive published': row(401, 403, 403, 403, 303, 303, 303),
  'express interest': row(401, 403, 303, 403, 303, 403, 403),
  'add member': row(401, 403, 403, 403, 303, 403, 303),
  'reply in thread': row(401, 403, 303, 404, 303, 404, 404),
  'mark partnership': row(401, 403, 303, 404, 303, 404, 404),
  'change password': row(401, 303, 303, 303, 303, 303, 303),
  'mark notifications read': row(401, 303, 303, 303, 303, 303, 303),
  'create organisation': row(401, 403, 403, 403, 403, 403, 303),
  'add user to any organisation': row(401, 403, 403, 403, 403, 403, 303),
  'edit organisation': row(401, 403, 403, 403, 303, 403, 303),
  'sign out': row(303, 303, 303, 303, 303, 303, 303),
  'sign up': row(303, 303, 303, 303, 303, 303, 303),
  'ask for a reset link': row(200, 200, 200, 200, 200, 200, 200),
};

function row(...s: number[]): Record<Who, number> {
  return Object.fromEntries(WHO.map((w, i) => [w, s[i]!])) as Record<Who, number>;
}

const XSS_TITLE = '<script>alert(1)</script> Solar pumps "><img src=x onerror=alert(1)>';
const XSS_SUMMARY = 'Irrigation <script>alert(1)</script> for farms "><img src=x onerror=alert(1)> and more.';

describe.each(BACKENDS)('registry security ($name)', (backend) => {
  let db: RegistryDb;
  let app: FastifyInstance;
  let limits: Limits;
  let orgA: string;
  let orgB: string;
  let orgX: string;
  const actors = {} as Record<Exclude<Who, 'anonymous'>, Actor>;
  let offerer: Actor;
  let n = 0;

  const record = (actor: Actor, kind: 'need' | 'offer' | 'practice', title: string) =>
    createRecord(db, actor, {
      kind,
      originalLang: 'en',
      title: { en: title },
      summary: { en: `${title}: solar water pumps and drip lines for smallholder farms.` },
      sdgs: [2, 6],
      sectors: ['agriculture'],
    });
  const published = async (actor: Actor, kind: 'need' | 'offer' | 'practice', title: string) => {
    const r = await record(actor, kind, title);
    await transitionRecord(db, actor, r.id, 'submitted');
    await transitionRecord(db, actors.moderator, r.id, 'published');
    return r.id;
  };

  beforeAll(async () => {
    db = await backend.open();
    limits = createLimits();
    app = await registryApp(db, { limits });
    orgA = (await addOrg(db, 'Organisation A')).id;
    orgB = (await addOrg(db, 'Organisation B')).id;
    orgX = (await addOrg(db, 'Organisation X', 'academia')).id;
    actors.viewer = await addUser(db, 'viewer', orgA);
    actors.author = await addUser(db, 'contributor', orgA);
    actors.otherOrg = await addUser(db, 'contributor', orgB);
    actors.orgAdmin = await addUser(db, 'org_admin', orgA);
    actors.moderator = await addUser(db, 'moderator');
    actors.admin = await addUser(db, 'admin');
    offerer = await addUser(db, 'contributor', orgX);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  /** A visitor as `who` (anonymous: with an anonymous session, so that only the role differs). */
  async function visitor(who: Who): Promise<Visitor> {
    const ip = `10.9.${Math.floor(n / 250)}.${n++ % 250}`;
    if (who === 'anonymous') {
      const v = new Visitor(app, ip);
      await v.get('/en/registry/sign-in');
      return v;
    }
    return Visitor.as(app, db, actors[who], ip);
  }

  type Res = { statusCode: number };
  /** Each route: makes a fresh target, and returns the request to send (every cell starts alike). */
  const ROUTES: Record<string, (v: Visitor) => Promise<() => Promise<Res>>> = {
    'create record': async (v) => () =>
      v.post('/en/registry/new', {
        action: 'save',
        kind: 'practice',
        originalLang: 'en',
        title: 'A practice note',
        summary: 'How a county shares its open data.',
      }),
    'edit own draft': async (v) => {
      const r = await record(actors.author, 'practice', 'Draft to edit');
      return () =>
        v.post(`/en/registry/record/${r.id}/edit`, {
          action: 'save',
          kind: 'practice',
          originalLang: 'en',
          title: 'Edited title',
          summary: 'Edited summary.',
        });
    },
    'submit draft': async (v) => {
      const r = await record(actors.author, 'practice', 'Draft to submit');
      return () => v.post(`/en/registry/record/${r.id}/status`, { to: 'submitted' });
    },
    'withdraw submitted': async (v) => {
      const r = await record(actors.author, 'practice', 'Submitted to withdraw');
      await transitionRecord(db, actors.author, r.id, 'submitted');
      return () => v.post(`/en/registry/record/${r.id}/status`, { to: 'draft' });
    },
    'publish submitted': async (v) => {
      const r = await record(actors.author, 'practice', 'Submitted to publish');
      await transitionRecord(db, actors.author, r.id, 'submitted');
      return () => v.post(`/en/registry/record/${r.id}/status`, { to: 'published' });
    },
    'reject submitted': async (v) => {
      const r = await record(actors.author, 'practice', 'Submitted to reject');
      await transitionRecord(db, actors.author, r.id, 'submitted');
      return () =>
        v.post(`/en/registry/record/${r.id}/status`, { to: 'rejected', reason: 'Needs a source.' });
    },
    'archive published': async (v) => {
      const id = await published(actors.author, 'practice', 'Published to archive');
      return () => v.post(`/en/registry/record/${id}/status`, { to: 'archived' });
    },
    'express interest': async (v) => {
      const needId = await published(actors.author, 'need', 'Need of A');
      const offerId = await published(offerer, 'offer', 'Offer of X');
      return () => v.post('/en/registry/interest', { needId, offerId, message: 'Interested.' });
    },
    'add member': async (v) => {
      const u = await addUser(db, 'contributor');
      const email = (
        await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [u.userId])
      )[0]!.email;
      return () =>
        v.post('/en/registry/organisation/members', { email, role: 'contributor', organisationId: orgA });
    },
    'reply in thread': async (v) => {
      const t = await freshThread();
      return () => v.post(`/en/registry/thread/${t}/messages`, { body: 'A reply.' });
    },
    'mark partnership': async (v) => {
      const t = await freshThread();
      return () => v.post(`/en/registry/thread/${t}/state`, { state: 'partnership' });
    },
    'change password': async (v) => {
      const s = v.cookie ? await getSession(db, v.cookie) : null;
      if (s?.user) await setPassword(db, s.user.id);
      return () =>
        v.post('/en/registry/account/password', {
          currentPassword: KNOWN_PASSWORD,
          newPassword: `another passphrase ${n++}`,
        });
    },
    'mark notifications read': async (v) => () => v.post('/en/registry/notifications/read'),
    'create organisation': async (v) => {
      const name = `Created organisation ${n++}`;
      return () => v.post('/en/registry/organisations', { name, stakeholderType: 'civil_society' });
    },
    'add user to any organisation': async (v) => {
      const u = await addUser(db, 'viewer');
      const email = (
        await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [u.userId])
      )[0]!.email;
      return () =>
        v.post('/en/registry/organisations/members', { email, organisationId: orgB, role: 'moderator' });
    },
    'edit organisation': async (v) => () =>
      v.post('/en/registry/organisation/edit', {
        name: 'Organisation A',
        stakeholderType: 'government',
        country: 'KEN',
        organisationId: orgA,
      }),
    'sign out': async (v) => () => v.post('/en/registry/sign-out'),
    'sign up': async (v) => {
      const email = `new-${n++}@example.org`;
      return () =>
        v.post('/en/registry/sign-up', {
          displayName: 'New Person',
          email,
          password: 'a long enough passphrase',
        });
    },
    'ask for a reset link': async (v) => {
      const email = `nobody-${n++}@example.org`; // the limit is per address: one address per cell
      return () => v.post('/en/registry/forgot-password', { email });
    },
  };

  async function freshThread(): Promise<string> {
    const needId = await published(actors.author, 'need', 'Need for a thread');
    const offerId = await published(offerer, 'offer', 'Offer for a thread');
    return (await expressInterest(db, offerer, { needId, offerId, message: 'From X.' })).id;
  }

  describe('authorization matrix: every write route × every role', () => {
    for (const [route, expected] of Object.entries(MATRIX)) {
      it(`${route}: ${WHO.map((w) => `${w} ${expected[w]}`).join(', ')}`, async () => {
        const got: Record<string, number> = {};
        for (const who of WHO) {
          const v = await visitor(who);
          const send = await ROUTES[route]!(v);
          const before = await tableCounts(db);
          const r = await send();
          got[who] = r.statusCode;
          // A refusal writes nothing (no row, no audit entry).
          if (r.statusCode >= 400) expect(await tableCounts(db), `${route} as ${who}`).toEqual(before);
        }
        expect(got).toEqual(expected);
      });
    }

    it('a refused write leaves the record untouched (viewer submits, other organisation edits)', async () => {
      const r = await record(actors.author, 'practice', 'Untouched');
      const before = await tableCounts(db);
      const viewer = await visitor('viewer');
      expect((await viewer.post(`/en/registry/record/${r.id}/status`, { to: 'submitted' })).statusCode).toBe(
        403,
      );
      const other = await visitor('otherOrg');
      const edit = await other.post(`/en/registry/record/${r.id}/edit`, {
        kind: 'practice',
        originalLang: 'en',
        title: 'Hijacked',
        summary: 'Hijacked.',
      });
      expect(edit.statusCode).toBe(404);
      expect(await tableCounts(db)).toEqual(before);
      const row = (
        await db.query<{ status: string; title: { en: string } }>(
          'SELECT status, title FROM records WHERE id = $1',
          [r.id],
        )
      )[0]!;
      expect(row).toEqual({ status: 'draft', title: { en: 'Untouched' } });
    });

    it('the refusal pages say why, in the page language', async () => {
      const anon = await visitor('anonymous');
      const r401 = await anon.get('/ar/registry/new');
      expect(r401.statusCode).toBe(401);
      expect(r401.body).toContain('يلزم تسجيل الدخول');
      expect(r401.body).toContain('href="/ar/registry/sign-in?next=');
      const viewer = await visitor('viewer');
      const r403 = await viewer.get('/en/registry/moderation');
      expect(r403.statusCode).toBe(403);
      expect(r403.body).toContain('Your account’s role does not allow this.');
      expect(r403.headers['cache-control']).toBe('private, no-store');
    });
  });

  describe('stored XSS', () => {
    it('markup in a title and summary is shown escaped on the record, search, organisation and moderation pages', async () => {
      const author = await visitor('author');
      await author.get('/en/registry/new');
      const sent = await author.post('/en/registry/new', {
        action: 'submit',
        kind: 'offer',
        originalLang: 'en',
        title: XSS_TITLE,
        summary: XSS_SUMMARY,
        contactName: '<script>alert(2)</script>',
      });
      expect(sent.statusCode).toBe(303);
      const id = location(sent).split('/').pop()!;
      const check = (body: string, where: string) => {
        expect(body, where).not.toContain('<script>alert(');
        expect(body, where).not.toContain('<img src=x');
        expect(body, where).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(body, where).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      };
      check((await author.get(`/en/registry/record/${id}`)).body, 'record (author)');
      check((await (await visitor('orgAdmin')).get('/en/registry/organisation')).body, 'organisation');
      const mod = await visitor('moderator');
      check((await mod.get('/en/registry/moderation')).body, 'moderation');
      expect((await mod.post(`/en/registry/record/${id}/status`, { to: 'published' })).statusCode).toBe(303);
      const anon = new Visitor(app);
      check((await anon.get(`/en/registry/record/${id}`)).body, 'record (public)');
      const search = await anon.get('/en/registry?q=irrigation%20farms');
      expect(search.body).toContain(`/en/registry/record/${id}`);
      check(search.body, 'search results');
      // The form re-rendered with the same text (suggest) escapes it in attributes and textareas.
      const again = await author.post('/en/registry/new', {
        action: 'suggest',
        kind: 'offer',
        originalLang: 'en',
        title: XSS_TITLE,
        summary: XSS_SUMMARY,
      });
      check(again.body, 'form');
    });
  });

  describe('SQL injection', () => {
    const ATTACKS: [string, string][] = [
      ['q', "'; DROP TABLE records; --"],
      ['q', "' OR '1'='1"],
      ['country', "KEN' OR '1'='1"],
      ['sdg', '1 OR 1=1'],
      ['region', "M49_014'); DELETE FROM records; --"],
      ['sector', "energy' OR 1=1 --"],
      ['kind', "offer' OR 'x'='x"],
      ['licence', "MIT') OR ('a'='a"],
      ['readiness_min', '1 OR 1=1'],
      ['readiness_max', '9; DROP TABLE users'],
      ['sort', 'relevance; DROP TABLE records'],
      ['page', '1; DELETE FROM records'],
    ];
    it('search terms and every filter: 200 with no rows, or 400 naming the parameter; never 500; tables intact', async () => {
      await published(actors.author, 'offer', 'A published offer to find');
      const before = await tableCounts(db);
      const anon = new Visitor(app);
      for (const [param, value] of ATTACKS) {
        const r = await anon.get(`/en/registry?${new URLSearchParams({ [param]: value })}`);
        expect([200, 400], `${param}=${value}`).toContain(r.statusCode);
        if (r.statusCode === 400) expect(r.body, `${param}=${value}`).toContain(`“${param}”`);
        else expect(r.body, `${param}=${value}`).toContain('Results: 0');
      }
      expect(await tableCounts(db)).toEqual(before);
      const tables = await db.query<{ t: string | null }>(
        "SELECT to_regclass('records')::text AS t UNION ALL SELECT to_regclass('users')::text",
      );
      expect(tables.map((t) => t.t)).toEqual(['records', 'users']);
    });
  });

  describe('CSRF: every form route refuses a missing or wrong token and writes nothing', () => {
    it('all POST routes: 403 "form expired", counts unchanged, the session still signed in', async () => {
      const admin = await visitor('admin');
      const author = await visitor('author');
      const orgAdmin = await visitor('orgAdmin');
      const anon = await visitor('anonymous');
      await setPassword(db, actors.author.userId);
      const draft = await record(actors.author, 'practice', 'CSRF target');
      const sub = await record(actors.author, 'practice', 'CSRF submitted');
      await transitionRecord(db, actors.author, sub.id, 'submitted');
      const needId = await published(actors.author, 'need', 'CSRF need');
      const offerId = await published(offerer, 'offer', 'CSRF offer');
      const thread = await freshThread();
      const memberEmail = (
        await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
          (await addUser(db, 'viewer')).userId,
        ])
      )[0]!.email;
      // [who, route, a body that would be accepted with the right token]
      const FORMS: [Visitor, string, Record<string, string | string[]>][] = [
        [
          author,
          '/en/registry/new',
          { action: 'save', kind: 'practice', originalLang: 'en', title: 'T', summary: 'S' },
        ],
        [
          author,
          `/en/registry/record/${draft.id}/edit`,
          { kind: 'practice', originalLang: 'en', title: 'T2', summary: 'S2' },
        ],
        [author, `/en/registry/record/${draft.id}/status`, { to: 'submitted' }],
        [admin, `/en/registry/record/${sub.id}/status`, { to: 'published' }],
        [author, '/en/registry/interest', { needId, offerId, message: 'Hello' }],
        [
          admin,
          '/en/registry/organisation/members',
          { email: memberEmail, role: 'contributor', organisationId: orgA },
        ],
        [author, `/en/registry/thread/${thread}/messages`, { body: 'Hello' }],
        [author, `/en/registry/thread/${thread}/state`, { state: 'partnership' }],
        [
          author,
          '/en/registry/account/password',
          { currentPassword: KNOWN_PASSWORD, newPassword: 'a fresh passphrase for csrf' },
        ],
        [author, '/en/registry/notifications/read', {}],
        [admin, '/en/registry/organisations', { name: 'CSRF organisation', stakeholderType: 'academia' }],
        [
          admin,
          '/en/registry/organisations/members',
          { email: memberEmail, organisationId: orgB, role: 'viewer' },
        ],
        [
          orgAdmin,
          '/en/registry/organisation/edit',
          { name: 'Organisation A renamed', stakeholderType: 'government' },
        ],
        [author, '/en/registry/sign-out', {}],
        [anon, '/en/registry/sign-in', { email: 'x@example.org', password: 'whatever password' }],
        [
          anon,
          '/en/registry/sign-up',
          { displayName: 'X', email: 'csrf@example.org', password: 'a long enough passphrase' },
        ],
        [anon, '/en/registry/forgot-password', { email: 'csrf@example.org' }],
        [anon, '/en/reset-password', { token: 'a'.repeat(43), password: 'a long enough passphrase' }],
      ];
      const sessions = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions'))[0]!.n;
      for (const [v, url, body] of FORMS) {
        for (const csrf of [null, 'wrong-token', admin === v ? author.csrf! : admin.csrf!]) {
          const before = { ...(await tableCounts(db)), sessions: await sessions() };
          const r = await v.post(url, body, { csrf });
          expect(r.statusCode, `${url} csrf=${csrf}`).toBe(403);
          expect(r.body).toContain('Form expired');
          expect({ ...(await tableCounts(db)), sessions: await sessions() }, url).toEqual(before);
        }
      }
      // The sign-out without a token did not end the author's session.
      expect((await author.get('/en/registry/account')).statusCode).toBe(200);
      // With the right token the same forms work (the table above is not refused for other reasons).
      expect(
        (await author.post(`/en/registry/thread/${thread}/messages`, { body: 'Hello' })).statusCode,
      ).toBe(303);
    });
  });

  describe('sessions', () => {
    it('session fixation: the token from before sign-in is dead after it; an attacker’s cookie is never adopted', async () => {
      const v = new Visitor(app, '10.8.0.1');
      await v.get('/en/registry/sign-up');
      const password = 'fixation is not an option';
      await v.post('/en/registry/sign-up', { displayName: 'Fix Test', email: 'fix@example.org', password });
      await v.get('/en/registry/sign-in');
      const before = v.cookie!;
      expect(await getSession(db, before)).not.toBeNull();
      const r = await v.post('/en/registry/sign-in', { email: 'fix@example.org', password });
      expect(r.statusCode).toBe(303);
      expect(v.cookie).not.toBe(before);
      expect((await getSession(db, v.cookie))?.user?.email).toBe('fix@example.org');
      expect(await getSession(db, before)).toBeNull();
      const stale = new Visitor(app, '10.8.0.2');
      stale.cookie = before;
      const acc = await stale.get('/en/registry/account');
      expect(acc.statusCode).toBe(303);
      expect(location(acc)).toMatch(/sign-in/);

      // An attacker plants a well-formed token: the site issues its own instead.
      const planted = 'A'.repeat(43);
      const victim = new Visitor(app, '10.8.0.3');
      victim.cookie = planted;
      const page = await victim.get('/en/registry/sign-in');
      expect(String(page.headers['set-cookie'])).toMatch(/^pontis_session=/);
      expect(victim.cookie).not.toBe(planted);
      expect(await getSession(db, planted)).toBeNull();
      await victim.post('/en/registry/sign-in', { email: 'fix@example.org', password });
      expect(victim.cookie).not.toBe(planted);
      expect(await getSession(db, planted)).toBeNull();
    });

    it('cookie attributes: HttpOnly, SameSite=Lax; with secureCookies __Host- and Secure, Path=/, no Domain', async () => {
      const plain = await new Visitor(app).get('/en/registry/sign-in');
      const c = String(plain.headers['set-cookie']);
      expect(c).toMatch(/^pontis_session=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
      const secureApp = await registryApp(db, { secureCookies: true });
      try {
        const v = new Visitor(secureApp, '10.8.1.1', SESSION_COOKIE);
        const r = await v.get('/en/registry/sign-in');
        const s = String(r.headers['set-cookie']);
        expect(s).toMatch(/^__Host-pontis_session=[A-Za-z0-9_-]{43};/);
        for (const part of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']) expect(s).toContain(part);
        expect(s).not.toMatch(/Domain=/i);
        // The plain name means nothing to a secure site (it cannot have been set over https by it).
        const other = new Visitor(secureApp, '10.8.1.2');
        other.cookie = v.cookie;
        const again = await other.get('/en/registry/sign-in');
        expect(String(again.headers['set-cookie'])).toMatch(/^__Host-pontis_session=/);
      } finally {
        await secureApp.close();
      }
    });
  });

  describe('rate limits', () => {
    it('login brute force: after 5 failures the right password gets 429 with Retry-After', async () => {
      const own = createLimits();
      const limited = await registryApp(db, { limits: own });
      try {
        const v = new Visitor(limited, '10.7.0.1');
        await v.get('/en/registry/sign-up');
        const password = 'the right password here';
        await v.post('/en/registry/sign-up', {
          displayName: 'Brute Target',
          email: 'brute@example.org',
          password,
        });
        await v.get('/en/registry/sign-in');
        for (let i = 0; i < 5; i++) {
          const r = await v.post('/en/registry/sign-in', {
            email: 'brute@example.org',
            password: `wrong guess ${i}`,
          });
          expect(r.statusCode).toBe(401);
          expect(r.body).toContain('Wrong email address or password.');
        }
        const blocked = await v.post('/en/registry/sign-in', { email: 'brute@example.org', password });
        expect(blocked.statusCode).toBe(429);
        const retry = Number(blocked.headers['retry-after']);
        expect(retry).toBeGreaterThan(0);
        expect(retry).toBeLessThanOrEqual(15 * 60);
        expect(blocked.body).toContain(`Try again in ${retry} seconds.`);
        expect((await v.get('/en/registry/account')).statusCode).toBe(303); // not signed in
      } finally {
        await limited.close();
      }
    });

    it('writes: past 60 a minute a user gets 429 with Retry-After, and nothing more is written', async () => {
      const own = createLimits();
      own.writes = new RateLimiter('write.user', 3, 60_000);
      const limited = await registryApp(db, { limits: own });
      try {
        const v = await Visitor.as(limited, db, actors.author, '10.7.1.1');
        const body = {
          action: 'save',
          kind: 'practice',
          originalLang: 'en',
          title: 'Rate',
          summary: 'Limited.',
        };
        for (let i = 0; i < 3; i++) expect((await v.post('/en/registry/new', body)).statusCode).toBe(303);
        const before = await tableCounts(db);
        const r = await v.post('/en/registry/new', body);
        expect(r.statusCode).toBe(429);
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(await tableCounts(db)).toEqual(before);
      } finally {
        await limited.close();
      }
    });
  });

  describe('robustness', () => {
    it('random form bodies and query strings to the registry routes never produce a 5xx', async () => {
      const own = createLimits();
      own.writes = new RateLimiter('write.user', 1_000_000, 60_000);
      own.loginIp = new RateLimiter('login.ip', 1_000_000, 60_000);
      own.signUpIp = new RateLimiter('signup.ip', 1_000_000, 60_000);
      const robust = await registryApp(db, { limits: own });
      try {
        const admin = await Visitor.as(robust, db, actors.admin, '10.6.0.1');
        const author = await Visitor.as(robust, db, actors.author, '10.6.0.2');
        const thread = await freshThread();
        const rec = await record(actors.author, 'practice', 'Robust target');
        const GETS = [
          '',
          '/new',
          `/record/${rec.id}`,
          `/record/${rec.id}/edit`,
          '/organisation',
          '/organisation/edit',
          '/organisations',
          '/matches',
          '/moderation',
          `/thread/${thread}`,
          '/sign-in',
          '/account',
        ];
        const POSTS = [
          '/new',
          `/record/${rec.id}/edit`,
          `/record/${rec.id}/status`,
          '/interest',
          '/organisation/members',
          '/organisation/edit',
          '/organisations',
          '/organisations/members',
          '/notifications/read',
          '/account/password',
          `/thread/${thread}/messages`,
          `/thread/${thread}/state`,
          '/sign-in',
          '/sign-up',
          '/forgot-password',
        ];
        const KEYS = [
          ...SEARCH_PARAMS,
          'title',
          'summary',
          'sdgs',
          'sdgTargets',
          'countries',
          'sectors',
          'readiness',
          'transferTerms',
          'url',
          'sources',
          'contactEmail',
          'contactConsent',
          'originalLang',
          'action',
          'to',
          'reason',
          'needId',
          'offerId',
          'message',
          'email',
          'role',
          'organisationId',
          'body',
          'state',
          'password',
          'displayName',
          'next',
          'token',
          'currentPassword',
          'newPassword',
          'name',
          'stakeholderType',
          'country',
          'title_fr',
          'summary_fr',
        ];
        const value = fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(
            '',
            '0',
            '-1',
            '99999999',
            '7',
            'KEN',
            'offer',
            'submit',
            'suggest',
            'published',
            'partnership',
            rec.id,
            '../../etc',
            '%00',
            '\u0000',
            '\uD800',
            "' OR 1=1 --",
            '<script>',
          ),
        );
        const form = fc.dictionary(
          fc.constantFrom(...KEYS),
          fc.oneof(value, fc.array(value, { maxLength: 3 })),
          { maxKeys: 8 },
        );
        await fc.assert(
          fc.asyncProperty(
            fc.boolean(),
            fc.constantFrom(...GETS),
            fc.constantFrom(...POSTS),
            form,
            fc.constantFrom('en', 'ar', 'zh'),
            async (isPost, getPath, postPath, f, lang) => {
              const who = Math.random() < 0.5 ? admin : author;
              let status: number;
              if (isPost) {
                status = (
                  await who.post(`/${lang}/registry${postPath}`, f as Record<string, string | string[]>)
                ).statusCode;
              } else {
                const qs = new URLSearchParams();
                for (const [k, v] of Object.entries(f))
                  for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
                status = (await who.get(`/${lang}/registry${getPath}?${qs}`)).statusCode;
              }
              expect(status).toBeLessThan(500);
            },
          ),
          { numRuns: 150 },
        );
        // And odd addresses.
        for (const p of [
          '/record/not-a-uuid',
          '/record/00000000-0000-0000-0000-000000000000',
          '/thread/%27%3B',
          '/record/%00/edit',
        ])
          expect((await admin.get(`/en/registry${p}`)).statusCode).toBe(404);
      } finally {
        await robust.close();
      }
    }, 120_000);
  });
});
