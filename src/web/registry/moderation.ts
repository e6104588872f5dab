/** The moderation queue: submitted records, oldest first, each with "publish" and "reject with a reason". */
import type { FastifyReply } from 'fastify';
import { getOrganisation } from '../../registry/organisations.ts';
import { moderationQueue } from '../../registry/records.ts';
import { html } from '../html.ts';
import type { Ctx } from './context.ts';
import { requireActor, statusActions } from './record.ts';
import { fmtDateTime } from './ui.ts';
import { shown, term } from './vocab.ts';

export async function moderationPage(c: Ctx): Promise<FastifyReply> {
  const a = requireActor(c);
  const queue = await moderationQueue(c.db, a);
  const orgs = new Map<string, string>();
  for (const r of queue)
    if (r.organisationId && !orgs.has(r.organisationId))
      orgs.set(r.organisationId, (await getOrganisation(c.db, r.organisationId)).name);
  const body = html`<h1>${c.t('reg.mod.title')}</h1>
<p>${c.t('reg.mod.intro', { n: queue.length })}</p>
${
  queue.length === 0
    ? html`<p>${c.t('reg.mod.empty')}</p>`
    : html`<ol class="queue">${queue.map(
        (
          r,
        ) => html`<li class="card"><h2><a href="${c.href(`/record/${r.id}`)}">${shown(r.title, c.lang, r.originalLang)}</a></h2>
<p class="meta">${term(c.lang, 'kind', r.kind)} · ${r.organisationId ? html`<span dir="auto">${orgs.get(r.organisationId) ?? ''}</span>` : c.t('reg.none')} · ${c.t('reg.mod.submitted', { date: fmtDateTime(c.lang, r.updatedAt) })}</p>
<p class="text">${shown(r.summary, c.lang, r.originalLang)}</p>
${statusActions(c, r, 'moderation')}</li>`,
      )}</ol>`
}`;
  return c.send({ title: c.t('reg.mod.title'), path: '/registry/moderation', section: 'moderation', body });
}
