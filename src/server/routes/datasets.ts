/** /api/datasets: the loaded datasets (source, vintage, licence, rows) — the provenance of every value. */
import type { FastifyPluginAsync } from 'fastify';
import { listDatasets } from '../../store/queries.ts';
import type { RouteOptions } from '../context.ts';
import { formatParam, sendTabular } from '../format.ts';

export const datasetsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/datasets',
    {
      schema: {
        summary: 'Loaded datasets with source, vintage, licence and row counts',
        tags: ['datasets'],
        querystring: { type: 'object', additionalProperties: false, properties: { format: formatParam } },
      },
    },
    async (req, reply) => {
      const rows = await ctx.queue.run(() => listDatasets(ctx.store));
      return sendTabular(req, reply, { json: rows, rows: () => rows, name: 'datasets' });
    },
  );
};
