/**
 * Error pages of the registry, in the page language: 400 (the parameter at fault named), 401 (sign
 * in, with a link back), 403 (not allowed, or a form without its CSRF token), 404, 409 (the
 * record's or thread's state does not allow it), 413, 429 (with Retry-After) and 500.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import type { RateLimitDetails } from '../../registry/rate-limit.ts';
import { html } from '../html.ts';
import type { Ctx } from './context.ts';

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export function errorPage(
  c: Ctx,
  kind: ErrorKind,
  o: { parameter?: string; retryAfter?: number } = {},
): FastifyReply {
  const title = c.t(`reg.error.${kind}.title`);
  const path = c.req.url.replace(/^\/[a-z]{2}/, '').split('?')[0] ?? '/registry';
  let body = html``;
  switch (kind) {
    case 'invalid':
      body = html`<p>${c.t('reg.error.invalid.body', { parameter: o.parameter ?? '?' })}</p>`;
      break;
    case 'unauthenticated': {
      const next = encodeURIComponent(c.req.method === 'GET' ? c.req.url.split('?')[0]! : c.href());
      body = html`<p>${c.t('reg.error.unauthenticated.body')}</p><p><a href="${c.href(`/sign-in?next=${next}`)}">${c.t('reg.signin.title')}</a></p>`;
      break;
    }
    case 'rate_limited':
      c.reply.header('retry-after', String(o.retryAfter ?? 60));
      body = html`<p>${c.t('reg.error.rate_limited.body', { seconds: o.retryAfter ?? 60 })}</p>`;
      break;
    default:
      body = html`<p>${c.t(`reg.error.${kind}.body`)}</p>`;
  }
  return c.send({
    title,
    path,
    status: STATUS[kind],
    body: html`<h1>${title}</h1>${body}<p><a href="${c.href()}">${c.t('reg.error.back')}</a></p>`,
  });
}

/** The page for an error a library call threw. */
export function pageForError(c: Ctx, e: unknown): FastifyReply | null {
  if (e instanceof PontisError) {
    switch (e.code) {
      case 'not_found':
        return errorPage(c, 'not_found');
      case 'forbidden':
        return errorPage(c, 'forbidden');
      case 'unauthenticated':
        return errorPage(c, 'unauthenticated');
      case 'conflict':
        return errorPage(c, 'conflict');
      case 'rate_limited':
        return errorPage(c, 'rate_limited', {
          retryAfter: (e.details as RateLimitDetails | undefined)?.retryAfter ?? 60,
        });
      case 'invalid_input':
      case 'usage':
        return errorPage(c, 'invalid', { parameter: e.location.field?.split('.')[0] ?? '?' });
      default:
        return null;
    }
  }
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (status === 413) return errorPage(c, 'too_large');
  if (typeof status === 'number' && status >= 400 && status < 500) return errorPage(c, 'invalid', {});
  return null;
}
