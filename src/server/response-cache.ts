/**
 * A bounded in-memory cache of successful GET responses. The data only change when a load happens
 * and the key includes the store's data version (the ETag of cache.ts: version, URL, Accept), so
 * an entry is never stale; least recently used entries are dropped beyond `maxBytes`. A repeated
 * request (the home page's headline figures, a popular country) then costs no store query.
 * Compression (when asked for) is applied after the cache, on the way out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

interface Entry {
  body: string | Buffer;
  headers: Record<string, string>;
  bytes: number;
}

/** Headers a route sets that belong to the cached representation. */
const KEPT = ['content-type', 'content-disposition', 'link', 'x-total-count'];

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxBytes: number,
    /** Entries larger than this are not kept (default maxBytes / 16). */
    readonly maxEntryBytes: number = Math.floor(maxBytes / 16),
  ) {}

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, body: string | Buffer, headers: Record<string, string>): void {
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (bytes > this.maxEntryBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { body, headers, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

const keyOf = (req: FastifyRequest): string | undefined =>
  req.method === 'GET' ? (req as FastifyRequest & { etag?: string }).etag : undefined;

/** Serves cached responses (after the ETag check of cache.ts) and keeps new ones. */
export function responseCache(app: FastifyInstance, cache: ResponseCache): void {
  app.addHook('onRequest', async (req, reply) => {
    if (reply.sent) return;
    const key = keyOf(req);
    const hit = key ? cache.get(key) : undefined;
    if (hit) {
      (req as FastifyRequest & { cached?: boolean }).cached = true;
      reply.headers(hit.headers);
      return reply.code(200).send(hit.body);
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const key = keyOf(req);
    if (!key || reply.statusCode !== 200 || (req as FastifyRequest & { cached?: boolean }).cached)
      return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const headers: Record<string, string> = {};
    for (const h of KEPT) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    cache.set(key, payload, headers);
    return payload;
  });
}
