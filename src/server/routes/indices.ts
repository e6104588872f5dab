/**
 * /api/indices: the composite-index recipes; /api/indices/{id}: scores, ranks and pillar scores per
 * unit with the indicator tree; /api/indices/{id}/intervals: rank intervals from the uncertainty
 * analysis (bounded number of runs; computed once, see index-service.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../context.ts';
import { type FlatRow, formatParam, sendTabular } from '../format.ts';
import type { Built } from '../index-service.ts';
import { CODE_PATTERN } from '../params.ts';

const num = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

export function scoreRows(b: Built): FlatRow[] {
  const r = b.result;
  const n = r.units.length;
  const agg = r.stages.aggregated;
  const names = new Map(b.data.values.rows.map((u, i) => [u, b.data.names?.[i] ?? null]));
  const pillars = r.tree.aggregates.slice(0, -1);
  return r.units
    .map((u, i) => {
      const row: FlatRow = {
        unit: u,
        name: names.get(u) ?? null,
        rank: num(r.ranks[i]),
        score: num(r.scores[i]),
      };
      for (const a of pillars) row[a] = num(agg.data[agg.cols.indexOf(a) * n + i]);
      return row;
    })
    .sort((a, b) => ((a.rank as number | null) ?? Infinity) - ((b.rank as number | null) ?? Infinity));
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: CODE_PATTERN, description: 'recipe id, e.g. asem' } },
  required: ['id'],
} as const;

export const indicesRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/indices',
    { schema: { summary: 'Composite-index recipes and whether each can be built', tags: ['indices'] } },
    async () => ctx.indices.list(),
  );

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/indices/:id',
    {
      schema: {
        summary: 'Scores, ranks and pillar scores of every unit, with the indicator tree and steps',
        tags: ['indices'],
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { format: formatParam } },
      },
    },
    async (req, reply) => {
      const b = ctx.indices.get(req.params.id);
      const rows = scoreRows(b);
      return sendTabular(req, reply, {
        json: {
          id: b.id,
          name: b.spec.name,
          description: b.spec.description ?? null,
          units: b.result.units.length,
          indicators: b.result.tree.indicators.length,
          pillars: b.result.tree.aggregates.slice(0, -1),
          tree: b.spec.tree,
          steps: b.result.steps,
          scores: rows,
        },
        rows: () => rows,
        name: `index-${b.id}`,
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/indices/:id/intervals',
    {
      schema: {
        summary: 'Rank intervals (5th–95th percentile) from the Monte Carlo uncertainty analysis',
        tags: ['indices'],
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { format: formatParam } },
      },
    },
    async (req, reply) => {
      const b = ctx.indices.get(req.params.id);
      const a = await ctx.indices.audit(req.params.id);
      const names = new Map(b.data.values.rows.map((u, i) => [u, b.data.names?.[i] ?? null]));
      const rows = a.intervals.map((x) => ({ name: names.get(x.unit) ?? null, ...x }));
      return sendTabular(req, reply, {
        json: {
          id: b.id,
          name: b.spec.name,
          runs: a.runs,
          seed: a.seed,
          factors: a.factors,
          meanAbsRankShift: a.meanAbsRankShift,
          failures: a.failures,
          intervals: rows,
        },
        rows: () => rows,
        name: `index-${b.id}-intervals`,
      });
    },
  );
};
