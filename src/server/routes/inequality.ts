/** /api/inequality: Gini, Theil, CV and quintile ratio across countries, with a Theil decomposition. */
import type { FastifyPluginAsync } from 'fastify';
import { inequality } from '../../analysis/inequality.ts';
import type { RouteOptions } from '../context.ts';
import { codeParam, listParam, yearParam } from '../params.ts';

interface InequalityQuery {
  indicator: string;
  year: number;
  group?: string;
  by?: string;
  weight?: string;
}

export const inequalityRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get<{ Querystring: InequalityQuery }>(
    '/inequality',
    {
      schema: {
        summary: 'Population-weighted inequality across the countries of a group',
        tags: ['inequality'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['indicator', 'year'],
          properties: {
            indicator: codeParam('indicator code'),
            year: yearParam,
            group: codeParam('universe of countries (default WORLD)'),
            by: listParam('Theil decomposition: income, development, region or group codes'),
            weight: codeParam('weight (default WPP.POP)'),
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      return ctx.queue.run(() =>
        inequality(ctx.store, {
          indicator: q.indicator,
          year: q.year,
          ...(q.group ? { group: q.group } : {}),
          ...(q.by ? { by: q.by } : {}),
          ...(q.weight ? { weight: q.weight } : {}),
        }),
      );
    },
  );
};
