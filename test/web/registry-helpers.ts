/**
 * Shared set-up for the registry's web tests: the registry plugin on Fastify over a real database
 * (PGlite or PostgreSQL, test/registry/backends.ts), and a small cookie-keeping client that posts
 * forms the way a browser does (application/x-www-form-urlencoded, the page's CSRF token).
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { RegistryDb } from '../../src/registry/db.ts';
import type { Limits } from '../../src/registry/rate-limit.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { createSession } from '../../src/registry/sessions.ts';
import { PLAIN_SESSION_COOKIE, registryWebPlugin } from '../../src/web/registry/index.ts';
import { CSS, CSS_URL } from '../../src/web/static.ts';

/** Cheap argon2id for tests (the hash is still argon2id; only its cost is lower). */
export const TEST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export async function registryApp(
  db: RegistryDb,
  o: { limits?: Limits; secureCookies?: boolean; app?: FastifyInstance } = {},
): Promise<FastifyInstance> {
  const app = o.app ?? Fastify({ logger: false });
  app.get(CSS_URL, async (_req, reply) => reply.type('text/css; charset=utf-8').send(CSS));
  await app.register(registryWebPlugin, {
    db,
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.secureCookies ? { secureCookies: true } : {}),
    argon2: TEST_ARGON2,
    baseUrl: 'https://pontis.example',
  });
  await app.ready();
  return app;
}

export type Form = Record<string, string | string[] | undefined>;

export function encodeForm(f: Form): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  return p.toString();
}

/** The value of the first hidden _csrf field of a page. */
export const csrfOf = (body: string): string | undefined => /name="_csrf" value="([^"]*)"/.exec(body)?.[1];

/** A visitor: keeps the session cookie and the latest CSRF token it saw, like a browser tab. */
export class Visitor {
  cookie: string | null = null;
  csrf: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly ip = '10.0.0.1',
    readonly cookieName = PLAIN_SESSION_COOKIE,
  ) {}

  /** A visitor signed in as a fixture user (a real session row, as sign-in would make). */
  static async as(app: FastifyInstance, db: RegistryDb, actor: Actor, ip?: string): Promise<Visitor> {
    const v = new Visitor(app, ip);
    const s = await createSession(db, actor.userId);
    v.cookie = s.token;
    v.csrf = s.csrfToken;
    return v;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { cookie: `${this.cookieName}=${this.cookie}` } : {}), ...extra };
  }

  private absorb(r: LightMyRequestResponse): LightMyRequestResponse {
    const set = r.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const m = new RegExp(`^${this.cookieName}=([^;]*)`).exec(c);
      if (m) this.cookie = m[1] === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/.test(c) ? null : m[1]!;
    }
    const token = csrfOf(r.body);
    if (token) this.csrf = token;
    return r;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.absorb(
      await this.app.inject({ method: 'GET', url, headers: this.headers(), remoteAddress: this.ip }),
    );
  }

  /** Posts a form with the visitor's CSRF token (unless `_csrf` is given, or null to leave it out). */
  async post(
    url: string,
    form: Form = {},
    o: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const token = o.csrf === null ? undefined : (o.csrf ?? this.csrf);
    return this.absorb(
      await this.app.inject({
        method: 'POST',
        url,
        headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        payload: encodeForm({ ...form, ...(token !== undefined ? { _csrf: token } : {}) }),
        remoteAddress: this.ip,
      }),
    );
  }
}

/** Counts of every table a write could touch (to prove that nothing was written). */
export async function tableCounts(db: RegistryDb): Promise<Record<string, number>> {
  const tables = [
    'records',
    'audit_log',
    'users',
    'organisations',
    'threads',
    'messages',
    'matches',
    'notifications',
    'outbox',
    'password_resets',
  ];
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n;
  return out;
}

/** Attribute `lang` or `dir` of <html>. */
export const htmlAttr = (body: string, attr: 'lang' | 'dir') =>
  new RegExp(`<html[^>]*\\s${attr}="([^"]+)"`).exec(body)?.[1];

export const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');
