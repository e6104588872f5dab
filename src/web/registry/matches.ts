/**
 * My matches: the stored matches of my organisation's needs and offers, best first, each with the
 * reasons for its score; my organisation's notifications (the unread ones marked, their count in
 * the heading, and a "mark all as read" form); and its threads.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { organisationMatches } from '../../registry/matchmaking.ts';
import { getOrganisation } from '../../registry/organisations.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import { getRecord, type StoredRecord } from '../../registry/records.ts';
import {
  markNotificationsRead,
  myThreads,
  notifications,
  unreadNotificationCount,
} from '../../registry/threads.ts';
import { type Html, html } from '../html.ts';
import { redirect } from './auth.ts';
import type { Ctx } from './context.ts';
import { explanation } from './explain.ts';
import { requireActor } from './record.ts';
import { fmtDateTime, notice } from './ui.ts';
import { shown, term } from './vocab.ts';

/** Records by id as the visitor may see them (null when they may not, or it is gone). */
export async function recordLookup(c: Ctx): Promise<(id: string | null) => Promise<StoredRecord | null>> {
  const seen = new Map<string, StoredRecord | null>();
  return async (id) => {
    if (!id) return null;
    if (!seen.has(id)) {
      try {
        seen.set(id, await getRecord(c.db, c.actor, id));
      } catch (e) {
        if (!(e instanceof PontisError && e.code === 'not_found')) throw e;
        seen.set(id, null);
      }
    }
    return seen.get(id) ?? null;
  };
}

export const recordLink = (c: Ctx, r: StoredRecord | null): Html =>
  r
    ? html`<a href="${c.href(`/record/${r.id}`)}">${shown(r.title, c.lang, r.originalLang)}</a>`
    : html`${c.t('reg.gone')}`;

export async function matchesPage(c: Ctx): Promise<FastifyReply> {
  const a = requireActor(c);
  if (!a.organisationId)
    return c.send({
      title: c.t('reg.matches.title'),
      path: '/registry/matches',
      section: 'matches',
      body: html`<h1>${c.t('reg.matches.title')}</h1><p>${c.t('reg.account.join')}</p>`,
    });
  const rec = await recordLookup(c);
  const matches = await organisationMatches(c.db, a.organisationId);
  const matchItems: Html[] = [];
  for (const m of matches) {
    const need = await rec(m.needId);
    const offer = await rec(m.offerId);
    matchItems.push(html`<li class="match"><h3>${recordLink(c, need)} <span aria-hidden="true">↔</span><span class="sr-only">${c.t('reg.matches.and')}</span> ${recordLink(c, offer)}</h3>
<p class="meta">${c.t('reg.matches.state')}: ${term(c.lang, 'match', m.state)}</p>
${explanation(c.lang, m.score, m.explanation.factors, m.id)}</li>`);
  }
  const notes = await notifications(c.db, a, 30);
  const unread = await unreadNotificationCount(c.db, a);
  const marked = String((c.req.query as Record<string, unknown>)?.read ?? '') === '1';
  const noteItems: Html[] = [];
  for (const n of notes) {
    const p = n.payload as { threadId?: string; needId?: string; offerId?: string };
    const kind = [
      'match.new',
      'thread.interest',
      'thread.message',
      'thread.partnership',
      'thread.closed',
    ].includes(n.kind)
      ? (n.kind as 'match.new')
      : null;
    const text = kind ? c.t(`reg.notify.${kind}`) : n.kind;
    const link = p.threadId
      ? html` <a href="${c.href(`/thread/${p.threadId}`)}">${c.t('reg.thread.open.link')}</a>`
      : p.needId && p.offerId
        ? html` ${recordLink(c, await rec(p.needId))} ↔ ${recordLink(c, await rec(p.offerId))}`
        : '';
    const isNew = n.readAt === null ? html`<strong class="unread">${c.t('reg.notify.new')}</strong> ` : '';
    noteItems.push(
      html`<li${n.readAt === null ? html` class="unread"` : ''}>${isNew}<span class="meta">${fmtDateTime(c.lang, n.createdAt)}</span> ${text}${link}</li>`,
    );
  }
  const threads = await myThreads(c.db, a);
  const orgName = new Map<string, string>();
  const nameOf = async (id: string | null) => {
    if (!id) return '';
    if (!orgName.has(id)) orgName.set(id, (await getOrganisation(c.db, id)).name);
    return orgName.get(id)!;
  };
  const threadItems: Html[] = [];
  for (const t of threads) {
    const other = t.fromOrg === a.organisationId ? t.toOrg : t.fromOrg;
    const need = await rec(t.needId);
    const offer = await rec(t.offerId);
    threadItems.push(
      html`<li><a href="${c.href(`/thread/${t.id}`)}">${c.t('reg.thread.with', { org: await nameOf(other) })}</a> · ${term(c.lang, 'thread', t.state)} · ${need ? shown(need.title, c.lang, need.originalLang) : ''} ↔ ${offer ? shown(offer.title, c.lang, offer.originalLang) : ''}</li>`,
    );
  }
  const body = html`<h1>${c.t('reg.matches.title')}</h1>
<p>${c.t('reg.matches.intro')}</p>
<h2 id="matches">${c.t('reg.matches.list')}</h2>
${matchItems.length > 0 ? html`<ol class="matches">${matchItems}</ol>` : html`<p>${c.t('reg.matches.none')}</p>`}
<h2 id="notifications">${c.t('reg.notify.title')}${unread > 0 ? html` <span class="badge">(${c.t('reg.notify.unread', { n: unread })})</span>` : ''}</h2>
${marked ? notice(c.t('reg.notify.marked')) : ''}
${noteItems.length > 0 ? html`<ul class="notes">${noteItems}</ul>` : html`<p>${c.t('reg.notify.none')}</p>`}
${unread > 0 ? html`<form method="post" action="${c.href('/notifications/read')}">${c.csrf}<button type="submit" class="secondary">${c.t('reg.notify.markread')}</button></form>` : ''}
<h2 id="threads">${c.t('reg.thread.list')}</h2>
${threadItems.length > 0 ? html`<ul class="threads">${threadItems}</ul>` : html`<p>${c.t('reg.thread.none')}</p>`}`;
  return c.send({ title: c.t('reg.matches.title'), path: '/registry/matches', section: 'matches', body });
}

/** "Mark all as read": the actor's own and their organisation's notifications (the library's). */
export async function markReadAction(c: Ctx): Promise<FastifyReply> {
  const a = requireActor(c);
  limitWrite(a, c.o.limits);
  await markNotificationsRead(c.db, a);
  return redirect(c, c.href('/matches?read=1#notifications'));
}
