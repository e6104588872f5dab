/**
 * /api/aggregates: group aggregates (analysis/aggregate.ts) for indicators × groups × years, each
 * with its method and coverage, or the reason it was withheld; /api/aggregates/presets: the
 * figures the resolutions cite, recomputed, with the published values alongside.
 */
import type { FastifyPluginAsync } from 'fastify';
import { type AggregateReport, aggregate } from '../../analysis/aggregate.ts';
import { AGGREGATE_PRESETS } from '../../analysis/presets.ts';
import { AGGREGATE_METHODS, type AggregateMethod } from '../../stats/aggregate.ts';
import type { SqlFillMethod } from '../../store/group-sums.ts';
import type { RouteOptions } from '../context.ts';
import { type FlatRow, formatParam, type SdmxRow, sendTabular } from '../format.ts';
import { codeParam, listParam, parseList, parseYears, yearsParam } from '../params.ts';

interface AggregateQuery {
  indicator: string;
  group: string;
  year: string;
  method?: AggregateMethod;
  denominator?: string;
  weight?: string;
  scale?: number;
  fill?: number;
  fillMethod?: SqlFillMethod;
  minCoverage?: number;
  format?: string;
}

export const AGGREGATE_COLUMNS = [
  'indicator',
  'group',
  'groupName',
  'year',
  'status',
  'value',
  'reason',
  'method',
  'members',
  'withData',
  'countShare',
  'weightShare',
  'filled',
] as const;

export function aggregateRows(r: AggregateReport): FlatRow[] {
  return r.results.map((g) => ({
    indicator: g.indicator,
    group: g.group,
    groupName: g.groupName,
    year: g.year,
    status: g.result.status,
    value: g.result.status === 'ok' ? g.result.value.value : null,
    reason: g.result.status === 'withheld' ? g.result.reason : null,
    method: g.result.method.name,
    members: g.result.coverage.members,
    withData: g.result.coverage.withData,
    countShare: g.result.coverage.countShare,
    weightShare: g.result.coverage.weightShare,
    filled: g.result.coverage.filled,
  }));
}

/** IT.NET.USER.ZS[sex=F] → the code and its dimensions. */
function splitLabel(label: string): { code: string; dims: Record<string, string> } {
  const m = /^(.*)\[(.*)\]$/.exec(label);
  if (!m) return { code: label, dims: {} };
  const dims: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',')) {
    const [k, v] = kv.split('=');
    if (k && v) dims[k.trim()] = v.trim();
  }
  return { code: m[1] ?? label, dims };
}

export function aggregateSdmx(r: AggregateReport): SdmxRow[] {
  return r.results.map((g) => {
    const { code, dims } = splitLabel(g.indicator);
    return {
      DATAFLOW: 'PONTIS:DF_AGGREGATES(1.0)',
      REF_AREA: g.group,
      INDICATOR: code,
      TIME_PERIOD: String(g.year),
      SEX: dims.sex ?? '_T',
      URBANISATION: dims.area ?? '_T',
      AGE: dims.age ?? '_T',
      INCOME_WEALTH_QUANTILE: dims.quintile ?? '_T',
      OBS_VALUE: g.result.status === 'ok' ? g.result.value.value : null,
      // Withheld for insufficient coverage: SDMX "L", missing value, data exist but not collected.
      OBS_STATUS: g.result.status === 'ok' ? 'A' : 'L',
    };
  });
}

export const aggregatesRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { limits } = ctx;
  app.get<{ Querystring: AggregateQuery }>(
    '/aggregates',
    {
      schema: {
        summary: 'Group aggregates with method and coverage (ratio of sums, weighted mean, mean, median…)',
        tags: ['aggregates'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['indicator', 'group', 'year'],
          properties: {
            indicator: listParam(`indicator code(s), at most ${limits.maxIndicators}`),
            group: listParam(`group codes, e.g. DEVELOPED,LDC (at most ${limits.maxGroups})`),
            year: yearsParam,
            method: { type: 'string', enum: [...AGGREGATE_METHODS] },
            denominator: codeParam('ratio: denominator (default WPP.POP)'),
            weight: codeParam('wmean: weight (default WPP.POP); else coverage weight'),
            scale: {
              type: 'number',
              minimum: -1e12,
              maximum: 1e12,
              description: 'ratio: multiplier, e.g. 100',
            },
            fill: { type: 'integer', minimum: 0, maximum: 20, description: 'gap-filling window in years' },
            fillMethod: { type: 'string', enum: ['nearest', 'linear', 'linear-then-nearest'] },
            minCoverage: { type: 'number', minimum: 0, maximum: 1, description: 'default 0.5' },
            format: formatParam,
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const indicator = parseList(q.indicator, 'indicator', limits.maxIndicators);
      const groups = parseList(q.group, 'group', limits.maxGroups);
      const year = parseYears(q.year, 'year', limits.maxYears);
      const report = await ctx.queue.run(() =>
        aggregate(ctx.store, {
          indicator,
          groups,
          year,
          ...(q.method ? { method: q.method } : {}),
          ...(q.denominator ? { denominator: q.denominator } : {}),
          ...(q.weight ? { weight: q.weight } : {}),
          ...(q.scale !== undefined ? { scale: q.scale } : {}),
          ...(q.fill !== undefined
            ? { fill: { window: q.fill, ...(q.fillMethod ? { method: q.fillMethod } : {}) } }
            : {}),
          ...(q.minCoverage !== undefined ? { minCoverage: q.minCoverage } : {}),
        }),
      );
      return sendTabular(req, reply, {
        json: report,
        rows: () => aggregateRows(report),
        columns: AGGREGATE_COLUMNS,
        sdmx: () => aggregateSdmx(report),
        name: `aggregates-${indicator.join('_')}`,
      });
    },
  );

  app.get(
    '/aggregates/presets',
    {
      schema: {
        summary: 'The divides the resolutions cite, recomputed from the data, with the published figures',
        tags: ['aggregates'],
      },
    },
    async () => {
      const out = [];
      for (const p of Object.values(AGGREGATE_PRESETS)) {
        const report = await ctx.queue.run(() => aggregate(ctx.store, p.request));
        out.push({ id: p.id, title: p.title, note: p.note, published: p.published, report });
      }
      return out;
    },
  );
};
