/** /api/indicators: search the indicator catalogue; /api/indicators/{code}: one indicator's metadata. */
import type { FastifyPluginAsync } from 'fastify';
import type { Lang } from '../../core/indicator.ts';
import { listIndicators, resolveIndicator } from '../../store/queries.ts';
import type { RouteOptions } from '../context.ts';
import { formatParam, sendTabular } from '../format.ts';
import { pageHeaders, paginate } from '../page.ts';
import { CODE_PATTERN, langParam, pageParams } from '../params.ts';

interface ListQuery {
  search?: string;
  lang?: Lang;
  limit?: number;
  offset?: number;
  format?: string;
}

export const indicatorsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get<{ Querystring: ListQuery }>(
    '/indicators',
    {
      schema: {
        summary: 'Search the indicators (code, name, SDG indicator) with their data coverage',
        tags: ['indicators'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            search: { type: 'string', maxLength: 100, description: 'text in the code, name or SDG code' },
            lang: langParam,
            ...pageParams(ctx.limits),
            format: formatParam,
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const rows = await ctx.queue.run(() =>
        listIndicators(ctx.store, { ...(q.search ? { search: q.search } : {}), lang: q.lang ?? 'en' }),
      );
      const page = paginate(rows, q.limit ?? ctx.limits.defaultLimit, q.offset ?? 0);
      pageHeaders(req, reply, page);
      return sendTabular(req, reply, { json: page, rows: () => page.data, name: 'indicators' });
    },
  );

  app.get<{ Params: { code: string }; Querystring: { lang?: Lang } }>(
    '/indicators/:code',
    {
      schema: {
        summary: "One indicator's metadata: name, unit, direction, SDG codes, source, licence, coverage",
        tags: ['indicators'],
        params: {
          type: 'object',
          properties: { code: { type: 'string', pattern: CODE_PATTERN, description: 'indicator code' } },
          required: ['code'],
        },
        querystring: { type: 'object', additionalProperties: false, properties: { lang: langParam } },
      },
    },
    async (req) => {
      const { code } = req.params;
      return ctx.queue.run(async () => {
        const resolved = await resolveIndicator(ctx.store, code);
        const all = await listIndicators(ctx.store, { search: resolved.code, lang: req.query.lang ?? 'en' });
        const row = all.find((r) => r.code === resolved.code);
        return { ...row, requested: code, dimensions: resolved.dims };
      });
    },
  );
};
