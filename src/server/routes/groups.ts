/** /api/groups: country groups with member counts; /api/groups/{code}: one group's members. */
import type { FastifyPluginAsync } from 'fastify';
import type { Lang } from '../../core/indicator.ts';
import { groupMembers, listGroups, resolveGroup } from '../../store/queries.ts';
import type { RouteOptions } from '../context.ts';
import { formatParam, sendTabular } from '../format.ts';
import { langParam, yearParam } from '../params.ts';

interface GroupsQuery {
  year?: number;
  lang?: Lang;
  format?: string;
}

export const groupsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: { year: yearParam, lang: langParam, format: formatParam },
  } as const;

  app.get<{ Querystring: GroupsQuery }>(
    '/groups',
    {
      schema: {
        summary: 'Country groups (development status, LDC, income, regions…) with member counts',
        tags: ['groups'],
        querystring,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const rows = await ctx.queue.run(() =>
        listGroups(ctx.store, { ...(q.year !== undefined ? { year: q.year } : {}), lang: q.lang ?? 'en' }),
      );
      return sendTabular(req, reply, { json: rows, rows: () => rows, name: 'groups' });
    },
  );

  app.get<{ Params: { code: string }; Querystring: GroupsQuery }>(
    '/groups/:code',
    {
      schema: {
        summary: 'Members of a group as at 1 July of the year (default: today)',
        tags: ['groups'],
        params: {
          type: 'object',
          properties: {
            code: { type: 'string', pattern: '^[A-Za-z0-9_.\\- ]{1,80}$', description: 'group code or name' },
          },
          required: ['code'],
        },
        querystring,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const { code, members } = await ctx.queue.run(async () => {
        const c = await resolveGroup(ctx.store, req.params.code);
        const m = await groupMembers(ctx.store, c, {
          ...(q.year !== undefined ? { year: q.year } : {}),
          lang: q.lang ?? 'en',
        });
        return { code: c, members: m };
      });
      const info = (await ctx.queue.run(() => listGroups(ctx.store, { lang: q.lang ?? 'en' }))).find(
        (g) => g.code === code,
      );
      return sendTabular(req, reply, {
        json: {
          code,
          name: info?.name ?? null,
          kind: info?.kind ?? null,
          source: info?.source ?? null,
          year: q.year ?? null,
          members,
        },
        rows: () => members,
        name: `group-${code}`,
      });
    },
  );
};
