/**
 * Pagination: limit/offset over a bounded result; the page says its total, and the response
 * carries `X-Total-Count` and RFC 8288 `Link` headers (first, prev, next, last).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  data: T[];
}

export function paginate<T>(rows: readonly T[], limit: number, offset: number): Page<T> {
  return { total: rows.length, limit, offset, data: rows.slice(offset, offset + limit) };
}

function urlWith(req: FastifyRequest, limit: number, offset: number): string {
  const [path, qs = ''] = req.url.split('?', 2);
  const params = new URLSearchParams(qs);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return `${path}?${params.toString()}`;
}

export function pageHeaders(req: FastifyRequest, reply: FastifyReply, p: Page<unknown>): void {
  const links: string[] = [];
  const lastOffset = p.total === 0 ? 0 : Math.floor((p.total - 1) / p.limit) * p.limit;
  links.push(`<${urlWith(req, p.limit, 0)}>; rel="first"`);
  if (p.offset > 0) links.push(`<${urlWith(req, p.limit, Math.max(0, p.offset - p.limit))}>; rel="prev"`);
  if (p.offset + p.limit < p.total) links.push(`<${urlWith(req, p.limit, p.offset + p.limit)}>; rel="next"`);
  links.push(`<${urlWith(req, p.limit, lastOffset)}>; rel="last"`);
  reply.header('x-total-count', String(p.total));
  reply.header('link', links.join(', '));
}
