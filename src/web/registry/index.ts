/**
 * The technology-facilitation registry on the web: a Fastify plugin with the registry's pages under
 * /{lang}/registry/… (and the password-reset link's /{lang}/reset-password), mounted beside the
 * observatory's site:
 *
 *   app.register(registryWebPlugin, { db, mail, limits, secureCookies: true, baseUrl: 'https://pontis.example' });
 *
 * Security, all here or in the library it calls:
 *  - a server-side session (sessions.ts) named by an HttpOnly, SameSite=Lax cookie: with
 *    `secureCookies` it is `__Host-pontis_session` (Secure, Path=/, no Domain); without (plain http
 *    on localhost, where browsers refuse Secure cookies) `pontis_session`, never read under the
 *    other name. A cookie that names no live session is ignored, never adopted: pages with a form
 *    start a new anonymous session with a fresh random token (so that the sign-in, sign-up and
 *    reset forms carry a CSRF token), and signing in rotates the session;
 *  - every POST carries the session's CSRF token in the hidden `_csrf` field, checked before the
 *    handler runs: without it (or with another) the answer is the 403 page and nothing is written;
 *  - every write goes through the library, which checks the actor's role (roles.ts `authorize`);
 *    refusals are 401 (not signed in), 403 (not allowed) or 404 (not visible to this visitor);
 *  - sign-in, sign-up, reset mails and writes are rate-limited (rate-limit.ts); a refusal is the
 *    429 page with Retry-After;
 *  - pages are built with `html` (everything escaped), sent with no-store, a CSP without script
 *    or inline style, Referrer-Policy no-referrer, nosniff and frame denial.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { RegistryDb } from '../../registry/db.ts';
import { type MailTransport, outboxTransport } from '../../registry/mail.ts';
import type { Argon2Params } from '../../registry/passwords.ts';
import { createLimits, type Limits } from '../../registry/rate-limit.ts';
import { getSession, SESSION_COOKIE, verifyCsrf } from '../../registry/sessions.ts';
import { isLang } from '../i18n.ts';
import * as auth from './auth.ts';
import { browsePage } from './browse.ts';
import { type Body, Ctx, type Query, type Resolved } from './context.ts';
import { errorPage, pageForError } from './errors.ts';
import { markReadAction, matchesPage } from './matches.ts';
import { moderationPage } from './moderation.ts';
import { addMemberAction, organisationPage } from './organisation.ts';
import {
  adminAddMemberAction,
  createOrganisationAction,
  organisationEditAction,
  organisationEditPage,
  organisationsPage,
} from './organisations.ts';
import { interestAction, recordPage, statusAction } from './record.ts';
import { editForm, editSubmit, newForm, newSubmit } from './record-form.ts';
import { replyAction, threadPage, threadStateAction } from './thread.ts';

export interface RegistryWebOptions {
  db: RegistryDb;
  /** Where password-reset mails go (default: the `outbox` table). */
  mail?: MailTransport;
  /** Rate limits (default: a fresh set for this plugin instance). */
  limits?: Limits;
  /** Secure cookies (`__Host-pontis_session`); required behind https (default false). */
  secureCookies?: boolean;
  /** The site's public address, for links in mails (never the request's Host header). */
  baseUrl?: string;
  /** argon2id parameters (tests may lower them; default the library's). */
  argon2?: Argon2Params;
}

/** The session cookie's name without Secure: browsers refuse `__Host-` cookies that are not Secure. */
export const PLAIN_SESSION_COOKIE = 'pontis_session';
export { SESSION_COOKIE };

/** Record forms carry up to six languages of text; everything else is small. */
const FORM_BODY_LIMIT = 256 * 1024;

type Handler = (c: Ctx, params: Record<string, string>, query: Query, body: Body) => Promise<FastifyReply>;

const contexts = new WeakMap<FastifyRequest, Ctx>();

export const registryWebPlugin: FastifyPluginAsync<RegistryWebOptions> = async (app, opts) => {
  const secure = opts.secureCookies === true;
  const o: Resolved = {
    db: opts.db,
    mail: opts.mail ?? outboxTransport(opts.db),
    limits: opts.limits ?? createLimits(),
    secureCookies: secure,
    cookieName: secure ? SESSION_COOKIE : PLAIN_SESSION_COOKIE,
    baseUrl: opts.baseUrl ?? 'http://localhost:8080',
    ...(opts.argon2 ? { argon2: opts.argon2 } : {}),
  };
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });

  const ctxOf = (req: FastifyRequest, reply: FastifyReply): Ctx => {
    const known = contexts.get(req);
    if (known) return known;
    const lang = (req.params as { lang?: string } | undefined)?.lang;
    const c = new Ctx(
      isLang(lang ?? '') ? (lang as Ctx['lang']) : 'en',
      o,
      { token: null, session: null },
      req,
      reply,
    );
    contexts.set(req, c);
    return c;
  };

  // The visitor's session, then the CSRF check of every POST (before any handler can write).
  app.addHook('preHandler', async (req, reply) => {
    const c = ctxOf(req, reply);
    const raw = req.cookies[o.cookieName];
    const session = await getSession(o.db, raw);
    c.visitor.session = session;
    c.visitor.token = session ? (raw ?? null) : null;
    if (req.method === 'POST') {
      const body = req.body;
      const token = body && typeof body === 'object' ? (body as Body)._csrf : undefined;
      if (!verifyCsrf(session, Array.isArray(token) ? token[0] : token)) return errorPage(c, 'csrf');
      // PostgreSQL text cannot hold NUL: a form value with one is refused here, for every route.
      const bad = Object.entries((body ?? {}) as Body).find(([, v]) =>
        (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && x.includes('\u0000')),
      );
      if (bad) return errorPage(c, 'invalid', { parameter: bad[0] });
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const c = ctxOf(req, reply);
    const page = pageForError(c, err);
    if (page) return page;
    req.log.error({ err }, 'registry page failed');
    return errorPage(c, 'internal');
  });

  const route = (method: HTTPMethods, url: string, handler: Handler, bodyLimit?: number) =>
    app.route({
      method,
      url,
      config: { noCache: true },
      ...(bodyLimit ? { bodyLimit } : {}),
      handler: async (req, reply) => {
        const { lang } = req.params as { lang: string };
        if (!isLang(lang)) {
          reply.callNotFound();
          return reply;
        }
        const c = ctxOf(req, reply);
        return handler(
          c,
          req.params as Record<string, string>,
          (req.query ?? {}) as Query,
          (req.body && typeof req.body === 'object' ? req.body : {}) as Body,
        );
      },
    });

  const R = '/:lang/registry';
  route('GET', R, (c, _p, q) => browsePage(c, q));
  route('GET', `${R}/record/:id`, (c, p) => recordPage(c, p.id!));
  route('POST', `${R}/record/:id/status`, (c, p, _q, b) => statusAction(c, p.id!, b));
  route('POST', `${R}/interest`, (c, _p, _q, b) => interestAction(c, b));
  route('GET', `${R}/new`, (c) => newForm(c));
  route('POST', `${R}/new`, (c, _p, _q, b) => newSubmit(c, b), FORM_BODY_LIMIT);
  route('GET', `${R}/record/:id/edit`, (c, p) => editForm(c, p.id!));
  route('POST', `${R}/record/:id/edit`, (c, p, _q, b) => editSubmit(c, p.id!, b), FORM_BODY_LIMIT);
  route('GET', `${R}/organisation`, (c) => organisationPage(c));
  route('POST', `${R}/organisation/members`, (c, _p, _q, b) => addMemberAction(c, b));
  route('GET', `${R}/organisation/edit`, (c) => organisationEditPage(c));
  route('POST', `${R}/organisation/edit`, (c, _p, _q, b) => organisationEditAction(c, b));
  route('GET', `${R}/organisations`, (c) => organisationsPage(c));
  route('POST', `${R}/organisations`, (c, _p, _q, b) => createOrganisationAction(c, b));
  route('POST', `${R}/organisations/members`, (c, _p, _q, b) => adminAddMemberAction(c, b));
  route('GET', `${R}/matches`, (c) => matchesPage(c));
  route('POST', `${R}/notifications/read`, (c) => markReadAction(c));
  route('GET', `${R}/thread/:id`, (c, p) => threadPage(c, p.id!));
  route('POST', `${R}/thread/:id/messages`, (c, p, _q, b) => replyAction(c, p.id!, b));
  route('POST', `${R}/thread/:id/state`, (c, p, _q, b) => threadStateAction(c, p.id!, b));
  route('GET', `${R}/moderation`, (c) => moderationPage(c));
  route('GET', `${R}/account`, (c) => auth.accountPage(c));
  route('POST', `${R}/account/password`, (c, _p, _q, b) => auth.changePasswordAction(c, b));
  route('GET', `${R}/sign-in`, (c, _p, q) => auth.signInPage(c, q));
  route('POST', `${R}/sign-in`, (c, _p, _q, b) => auth.signInAction(c, b));
  route('GET', `${R}/sign-up`, (c) => auth.signUpPage(c));
  route('POST', `${R}/sign-up`, (c, _p, _q, b) => auth.signUpAction(c, b));
  route('POST', `${R}/sign-out`, (c) => auth.signOutAction(c));
  route('GET', `${R}/forgot-password`, (c) => auth.forgotPage(c));
  route('POST', `${R}/forgot-password`, (c, _p, _q, b) => auth.forgotAction(c, b));
  // The address the library's reset mails link to.
  route('GET', '/:lang/reset-password', (c, _p, q) => auth.resetPage(c, q));
  route('POST', '/:lang/reset-password', (c, _p, _q, b) => auth.resetAction(c, b));
  route('GET', `${R}/*`, async (c) => errorPage(c, 'not_found'));
};
