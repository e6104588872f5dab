/** /api/affordability: a price basket as % of GNI per capita against a threshold, by group. */
import type { FastifyPluginAsync } from 'fastify';
import { affordability } from '../../analysis/affordability.ts';
import type { RouteOptions } from '../context.ts';
import { formatParam, sendTabular } from '../format.ts';
import { codeParam, listParam, parseList, yearParam } from '../params.ts';

export const AFFORDABILITY_COLUMNS = [
  'basket',
  'group',
  'groupName',
  'year',
  'status',
  'countries',
  'countriesMeeting',
  'shareOfCountries',
  'shareOfPeople',
  'median',
  'threshold',
  'reason',
] as const;

interface AffordabilityQuery {
  basket: string;
  year: number;
  group?: string;
  threshold?: number;
  minCoverage?: number;
  format?: string;
}

export const affordabilityRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get<{ Querystring: AffordabilityQuery }>(
    '/affordability',
    {
      schema: {
        summary: 'Share of countries and people below the affordability threshold (default 2% of GNI p.c.)',
        tags: ['affordability'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['basket', 'year'],
          properties: {
            basket: codeParam('a basket as % of monthly GNI per capita, e.g. i271mb_2GB_GNI'),
            year: yearParam,
            group: listParam('groups (default: World Bank income groups)'),
            threshold: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: 'default 2' },
            minCoverage: { type: 'number', minimum: 0, maximum: 1 },
            format: formatParam,
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const groups = q.group ? parseList(q.group, 'group', ctx.limits.maxGroups) : undefined;
      const report = await ctx.queue.run(() =>
        affordability(ctx.store, {
          basket: q.basket,
          year: q.year,
          ...(groups ? { groups } : {}),
          ...(q.threshold !== undefined ? { threshold: q.threshold } : {}),
          ...(q.minCoverage !== undefined ? { minCoverage: q.minCoverage } : {}),
        }),
      );
      return sendTabular(req, reply, {
        json: report,
        rows: () =>
          report.results.map((g) => ({
            basket: report.basket,
            group: g.group,
            groupName: g.groupName,
            year: g.year,
            status: g.result.status,
            ...(g.result.status === 'ok' ? g.result.value : { reason: g.result.reason }),
          })),
        columns: AFFORDABILITY_COLUMNS,
        name: `affordability-${q.basket}`,
      });
    },
  );
};
