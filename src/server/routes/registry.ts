/**
 * /api/registry: the technology-facilitation registry, read-only and public (published records
 * only, contact details only with consent): search with facets, one record, a need's or offer's
 * best matches with their explained scores. Registered only when the server is given a registry
 * database (AppOptions.registry). Registry data change with every write, so these responses carry
 * no ETag and are never kept in the response cache (`noCache`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { findMatches } from '../../registry/matchmaking.ts';
import { LANGS, type Lang } from '../../registry/model.ts';
import { getRecord, type StoredRecord } from '../../registry/records.ts';
import { MAX_PAGE_SIZE, MAX_QUERY_LENGTH, searchRecords } from '../../registry/search.ts';
import { type RawQuery, searchQueryFrom } from '../../web/registry/query.ts';
import type { RouteOptions } from '../context.ts';
import { badParameter } from '../problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No ETag and no response cache for this route (cache.ts `uncacheable`). */
    noCache?: boolean;
  }
}

const list = (description: string) => ({ type: 'string', maxLength: 2000, description }) as const;
const uuid = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'record id (UUID)',
} as const;

/** A record as JSON (dates as ISO strings). */
function recordJson(r: StoredRecord) {
  return {
    ...r,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}

export const registryRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const db = ctx.registry;
  if (!db) return;

  app.get<{ Querystring: RawQuery & { lang?: Lang } }>(
    '/registry/records',
    {
      config: { noCache: true },
      schema: {
        summary: 'Search the registry’s published records, with facet counts and highlighted snippets',
        tags: ['registry'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: {
              type: 'string',
              maxLength: MAX_QUERY_LENGTH,
              description: 'search words (any of the six languages)',
            },
            lang: { type: 'string', enum: [...LANGS], description: 'reader’s language (ranking, snippets)' },
            kind: list('kinds, comma-separated: offer, need, initiative, practice, publication'),
            sdg: list('SDG goals 1–17, comma-separated'),
            country: list('ISO 3166-1 alpha-3 codes, comma-separated'),
            region: list('M49 region codes such as M49_014, comma-separated'),
            sector: list('sectors, comma-separated'),
            licence: list("SPDX ids, comma-separated; 'open' for any open licence"),
            readiness_min: { type: 'string', maxLength: 6, description: 'lowest readiness level (1–9)' },
            readiness_max: { type: 'string', maxLength: 6, description: 'highest readiness level (1–9)' },
            sort: { type: 'string', enum: ['relevance', 'date'], description: 'order (default relevance)' },
            page: { type: 'string', maxLength: 6, description: '1-based page (default 1)' },
            page_size: {
              type: 'string',
              maxLength: 6,
              description: `results per page (1–${MAX_PAGE_SIZE}, default 20)`,
            },
          },
        },
      },
    },
    async (req, reply) => {
      const { lang, ...rest } = req.query;
      const sq = parameterErrors(() => searchQueryFrom(rest, lang ?? 'en', { strict: true }));
      const res = await searchRecords(db, sq);
      reply.header('cache-control', 'no-store');
      return { ...res, hits: res.hits.map((h) => ({ ...h, record: recordJson(h.record) })) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/registry/records/:id',
    {
      config: { noCache: true },
      schema: {
        summary: 'One published record',
        tags: ['registry'],
        params: { type: 'object', properties: { id: uuid }, required: ['id'] },
      },
    },
    async (req, reply) => {
      const r = await getRecord(db, null, req.params.id);
      reply.header('cache-control', 'no-store');
      return recordJson(r);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/registry/records/:id/matches',
    {
      config: { noCache: true },
      schema: {
        summary:
          'The best matches of a published need (offers) or offer (needs), each factor of the score explained',
        tags: ['registry'],
        params: { type: 'object', properties: { id: uuid }, required: ['id'] },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, description: 'at most (default 10)' },
          },
        },
      },
    },
    async (req, reply) => {
      const { record, matches } = await findMatches(db, null, req.params.id, {
        limit: req.query.limit ?? 10,
      });
      reply.header('cache-control', 'no-store');
      return {
        record: recordJson(record),
        matches: matches.map((m) => ({ ...m, record: recordJson(m.record) })),
      };
    },
  );
};

/** Library validation errors as 400 problems naming the query parameter. */
function parameterErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PontisError && e.code === 'invalid_input')
      throw badParameter(e.location.field ?? 'q', e.message);
    throw e;
  }
}
