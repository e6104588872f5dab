/** /api/progress: progress towards the targets (data/targets.csv) for a country or a group. */
import type { FastifyPluginAsync } from 'fastify';
import { progress } from '../../analysis/progress.ts';
import { AGGREGATE_METHODS, type AggregateMethod } from '../../stats/aggregate.ts';
import type { RouteOptions } from '../context.ts';
import { codeParam } from '../params.ts';
import { badParameter } from '../problem.ts';

interface ProgressQuery {
  indicator?: string;
  geo?: string;
  group?: string;
  target?: string;
  method?: AggregateMethod;
}

export const progressRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get<{ Querystring: ProgressQuery }>(
    '/progress',
    {
      schema: {
        summary: 'Progress towards 2030 targets: current status and anticipated progress (ESCAP)',
        tags: ['progress'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            indicator: codeParam('indicator (optional with target)'),
            geo: codeParam('a country'),
            group: codeParam('a group'),
            target: codeParam('a target id from data/targets.csv'),
            method: { type: 'string', enum: [...AGGREGATE_METHODS] },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (!q.geo === !q.group) throw badParameter(q.geo ? 'group' : 'geo', 'give either geo or group');
      if (!q.indicator && !q.target) throw badParameter('indicator', 'give an indicator or a target');
      return ctx.queue.run(() =>
        progress(ctx.store, {
          ...(q.indicator ? { indicator: q.indicator } : {}),
          ...(q.geo ? { geo: q.geo } : {}),
          ...(q.group ? { group: q.group } : {}),
          ...(q.target ? { target: q.target } : {}),
          ...(q.method ? { method: q.method } : {}),
        }),
      );
    },
  );
};
