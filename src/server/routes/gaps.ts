/** /api/gaps: gender (by=sex) or urban/rural (by=area) gap and parity for a country or a group. */
import type { FastifyPluginAsync } from 'fastify';
import { gap } from '../../analysis/gap.ts';
import { GAP_PRESETS } from '../../analysis/presets.ts';
import type { RouteOptions } from '../context.ts';
import { codeParam, yearParam } from '../params.ts';
import { badParameter } from '../problem.ts';

interface GapQuery {
  indicator: string;
  by: 'sex' | 'area';
  geo?: string;
  group?: string;
  year: number;
  fill?: number;
  minCoverage?: number;
}

export const gapsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get<{ Querystring: GapQuery }>(
    '/gaps',
    {
      schema: {
        summary: 'Gender or urban/rural gap, (a − b) / a, and parity b / a, with coverage',
        tags: ['gaps'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['indicator', 'by', 'year'],
          properties: {
            indicator: codeParam('indicator with sex or area breakdowns, e.g. IT.NET.USER.ZS'),
            by: { type: 'string', enum: ['sex', 'area'] },
            geo: codeParam('a country (ISO3, ISO2, M49)'),
            group: codeParam('a group (WORLD, LDC…)'),
            year: yearParam,
            fill: { type: 'integer', minimum: 0, maximum: 20 },
            minCoverage: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (!q.geo === !q.group) throw badParameter(q.geo ? 'group' : 'geo', 'give either geo or group');
      return ctx.queue.run(() =>
        gap(ctx.store, {
          indicator: q.indicator,
          by: q.by,
          year: q.year,
          ...(q.geo ? { geo: q.geo } : {}),
          ...(q.group ? { group: q.group } : {}),
          ...(q.fill !== undefined ? { fill: q.fill } : {}),
          ...(q.minCoverage !== undefined ? { minCoverage: q.minCoverage } : {}),
        }),
      );
    },
  );

  app.get(
    '/gaps/presets',
    {
      schema: {
        summary: 'The gaps the resolutions cite, recomputed, with the published figures',
        tags: ['gaps'],
      },
    },
    async () => {
      const out = [];
      for (const p of Object.values(GAP_PRESETS)) {
        const reports = [];
        for (const g of p.groups)
          reports.push(
            await ctx.queue.run(() =>
              gap(ctx.store, { indicator: p.indicator, by: p.by, group: g, year: p.year }),
            ),
          );
        out.push({ id: p.id, title: p.title, note: p.note, published: p.published, reports });
      }
      return out;
    },
  );
};
