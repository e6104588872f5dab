/** /api/series: observations of one indicator, filtered by country, period and dimensions. */
import type { FastifyPluginAsync } from 'fastify';
import { SDMX_CONCEPT } from '../../core/dimensions.ts';
import type { Lang } from '../../core/indicator.ts';
import { querySeries, type SeriesRow } from '../../store/queries.ts';
import type { RouteOptions } from '../context.ts';
import { formatParam, type SdmxRow, sendTabular } from '../format.ts';
import { pageHeaders, paginate } from '../page.ts';
import { codeParam, dimParam, langParam, listParam, pageParams, parseList, yearParam } from '../params.ts';
import { badParameter } from '../problem.ts';

interface SeriesQueryString {
  indicator: string;
  geo?: string;
  from?: number;
  to?: number;
  sex?: string;
  area?: string;
  age?: string;
  quintile?: string;
  breakdown?: string;
  lang?: Lang;
  limit?: number;
  offset?: number;
  format?: string;
}

export const SERIES_COLUMNS = [
  'indicator',
  'geo',
  'name',
  'period',
  'year',
  'sex',
  'area',
  'age',
  'quintile',
  'breakdown',
  'value',
  'flags',
  'dataset',
  'vintage',
  'source',
] as const;

export function sdmxSeries(rows: readonly SeriesRow[]): SdmxRow[] {
  return rows.map((r) => ({
    DATAFLOW: 'PONTIS:DF_OBSERVATIONS(1.0)',
    REF_AREA: r.geo,
    INDICATOR: r.indicator,
    TIME_PERIOD: r.period,
    [SDMX_CONCEPT.sex]: r.sex,
    [SDMX_CONCEPT.area]: r.area,
    [SDMX_CONCEPT.age]: r.age,
    [SDMX_CONCEPT.quintile]: r.quintile,
    OBS_VALUE: r.value,
    OBS_STATUS: r.flags ?? 'A',
  })) as SdmxRow[];
}

export const seriesRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { limits } = ctx;
  app.get<{ Querystring: SeriesQueryString }>(
    '/series',
    {
      schema: {
        summary: 'Observations of one indicator by country and period (totals unless a dimension is given)',
        tags: ['series'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['indicator'],
          properties: {
            indicator: codeParam('indicator code, e.g. IT.NET.USER.ZS'),
            geo: listParam(`countries (ISO3, ISO2 or M49), comma-separated, at most ${limits.maxGeos}`),
            from: yearParam,
            to: yearParam,
            sex: dimParam('SEX: _T (default), F, M, or * for all'),
            area: dimParam('URBANISATION: _T (default), U, R, or *'),
            age: dimParam('AGE: _T (default), e.g. Y15T24, or *'),
            quintile: dimParam('INCOME_WEALTH_QUANTILE: _T (default), Q1..Q5, or *'),
            breakdown: dimParam('other breakdown: _T (default) or *'),
            lang: langParam,
            ...pageParams(limits),
            format: formatParam,
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        throw badParameter('from', `from ${q.from} is after to ${q.to}`);
      const geo = q.geo ? parseList(q.geo, 'geo', limits.maxGeos) : undefined;
      const dims: Record<string, string> = {};
      for (const d of ['sex', 'area', 'age', 'quintile', 'breakdown'] as const) {
        const v = q[d];
        if (v !== undefined) dims[d] = v;
      }
      const rows = await ctx.queue.run(() =>
        querySeries(
          ctx.store,
          {
            indicator: q.indicator,
            ...(geo ? { geo } : {}),
            ...(q.from !== undefined ? { from: q.from } : {}),
            ...(q.to !== undefined ? { to: q.to } : {}),
            dims,
            limit: limits.maxRows + 1,
          },
          q.lang ?? 'en',
        ),
      );
      if (rows.length > limits.maxRows)
        throw badParameter(
          'indicator',
          `the query matches more than ${limits.maxRows} rows; narrow it with geo, from, to or dimensions`,
        );
      const page = paginate(rows, q.limit ?? limits.defaultLimit, q.offset ?? 0);
      pageHeaders(req, reply, page);
      return sendTabular(req, reply, {
        json: page,
        rows: () => page.data,
        columns: SERIES_COLUMNS,
        sdmx: () => sdmxSeries(page.data),
        name: `series-${q.indicator}`,
      });
    },
  );
};
