/**
 * Conditional GETs. The data only change when a load happens, so a response is identified by the
 * store's version (latest dataset id and count) plus the request (method, URL, Accept): a weak
 * ETag is derived from them before any work is done, and a matching If-None-Match is answered
 * 304 at once. Successful responses carry the ETag and `Cache-Control: public, max-age=…`;
 * errors carry `no-store` (see problem.ts).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface CacheOptions {
  /** The store's data version (changes on every load). */
  version: () => string;
  /** max-age in seconds (default 300). */
  maxAge?: number;
}

/** Routes with `config: { noCache: true }` (e.g. /api/health) get no ETag and are never cached. */
export function uncacheable(req: FastifyRequest): boolean {
  return (req.routeOptions.config as { noCache?: boolean } | undefined)?.noCache === true;
}

export function etagFor(version: string, req: FastifyRequest): string {
  const h = createHash('sha1')
    .update(`${version}\n${req.method}\n${req.url}\n${req.headers.accept ?? ''}`)
    .digest('base64url')
    .slice(0, 22);
  return `W/"${h}"`;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export function conditionalGets(app: FastifyInstance, o: CacheOptions): void {
  const maxAge = o.maxAge ?? 300;
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    if (uncacheable(req)) return;
    const etag = etagFor(o.version(), req);
    (req as FastifyRequest & { etag?: string }).etag = etag;
    if (matches(req.headers['if-none-match'], etag)) {
      reply
        .code(304)
        .headers({ etag, 'cache-control': `public, max-age=${maxAge}`, vary: 'Accept, Accept-Encoding' });
      return reply.send();
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const etag = (req as FastifyRequest & { etag?: string }).etag;
    if (etag && reply.statusCode === 200) {
      reply.header('etag', etag);
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', `public, max-age=${maxAge}`);
      reply.header('vary', 'Accept, Accept-Encoding');
    }
    return payload;
  });
}
