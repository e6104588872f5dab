/**
 * What every registry page handler gets: the language, the database and the plugin's options, the
 * visitor (session, user, actor), and `send` to answer with a page in the site's shell (the
 * registry's own sub-navigation and the account box on top). Pages depend on the session, so they
 * are all sent `Cache-Control: private, no-store`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryDb } from '../../registry/db.ts';
import type { MailTransport } from '../../registry/mail.ts';
import type { User } from '../../registry/model.ts';
import type { Argon2Params } from '../../registry/passwords.ts';
import type { Limits } from '../../registry/rate-limit.ts';
import { type Actor, can } from '../../registry/roles.ts';
import type { Session } from '../../registry/sessions.ts';
import { type Html, html } from '../html.ts';
import { type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { csrfField } from './ui.ts';

export interface Resolved {
  db: RegistryDb;
  mail: MailTransport;
  limits: Limits;
  secureCookies: boolean;
  cookieName: string;
  baseUrl: string;
  argon2?: Argon2Params;
}

export interface Visitor {
  /** The cookie's token when it names a live session (never an unknown token a client sent). */
  token: string | null;
  session: Session | null;
}

export type Body = Record<string, unknown>;
export type Query = Record<string, string | string[] | undefined>;

/** Pages depend on the visitor's session: never stored by a shared cache, nor by the browser. */
export const REGISTRY_CACHE = 'private, no-store';

/** Pages load nothing but the site's stylesheet; forms post only to this site. */
export const REGISTRY_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export type Section =
  | 'browse'
  | 'new'
  | 'organisation'
  | 'organisations'
  | 'matches'
  | 'moderation'
  | 'account'
  | 'none';

export class Ctx {
  constructor(
    readonly lang: Lang,
    readonly o: Resolved,
    readonly visitor: Visitor,
    readonly req: FastifyRequest,
    readonly reply: FastifyReply,
  ) {}

  get db(): RegistryDb {
    return this.o.db;
  }
  get actor(): Actor | null {
    return this.visitor.session?.actor ?? null;
  }
  get user(): User | null {
    return this.visitor.session?.user ?? null;
  }
  get csrf(): Html {
    return csrfField(this.visitor.session?.csrfToken ?? '');
  }
  /** `/{lang}/registry{rest}` */
  href(rest = ''): string {
    return `/${this.lang}/registry${rest}`;
  }
  t(key: Parameters<typeof t>[1], params?: Record<string, string | number>): string {
    return t(this.lang, key, params);
  }

  /** Sends a page of the registry in the site's shell. `path` is the address after the language. */
  send(o: { title: string; path: string; body: Html; section?: Section; status?: number }): FastifyReply {
    const body = html`${this.subnav(o.section ?? 'none')}${o.body}`;
    const doc = page({
      lang: this.lang,
      title: o.title,
      path: o.path,
      body,
      nav: 'registry',
      registry: true,
      account: this.accountBox(),
    });
    return this.reply
      .code(o.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', REGISTRY_CACHE)
      .header('content-language', this.lang)
      .header('content-security-policy', REGISTRY_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .send(doc);
  }

  private subnav(section: Section): Html {
    const a = this.actor;
    const items: [Section, string, string][] = [['browse', '', this.t('reg.nav.browse')]];
    if (a && can(a, 'record.create')) items.push(['new', '/new', this.t('reg.nav.new')]);
    if (a?.organisationId) {
      items.push(['organisation', '/organisation', this.t('reg.nav.organisation')]);
      items.push(['matches', '/matches', this.t('reg.nav.matches')]);
    }
    if (a && can(a, 'moderation.queue'))
      items.push(['moderation', '/moderation', this.t('reg.nav.moderation')]);
    if (a && can(a, 'organisation.create'))
      items.push(['organisations', '/organisations', this.t('reg.nav.organisations')]);
    return html`<nav class="subnav" aria-label="${this.t('reg.nav.label')}"><ul>${items.map(
      ([id, rest, label]) =>
        html`<li><a href="${this.href(rest)}"${id === section ? html` aria-current="page"` : ''}>${label}</a></li>`,
    )}</ul></nav>`;
  }

  private accountBox(): Html {
    const u = this.user;
    if (!u)
      return html`<p class="account"><a href="${this.href('/sign-in')}">${this.t('reg.signin.title')}</a> <a href="${this.href('/sign-up')}">${this.t('reg.signup.title')}</a></p>`;
    return html`<form class="account" method="post" action="${this.href('/sign-out')}">${this.csrf}<a href="${this.href('/account')}">${this.t('reg.account.as', { name: u.displayName })}</a> <button type="submit" class="link">${this.t('reg.signout')}</button></form>`;
  }
}
