/**
 * A thread between two organisations about a need and an offer: its messages, a reply form, and
 * "mark as partnership" / "close". Only members of the two organisations see it (others get 404).
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { getOrganisation } from '../../registry/organisations.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import { can } from '../../registry/roles.ts';
import { getThread, postMessage, setThreadState } from '../../registry/threads.ts';
import { html } from '../html.ts';
import { redirect } from './auth.ts';
import type { Body, Ctx } from './context.ts';
import { errorPage } from './errors.ts';
import { recordLink, recordLookup } from './matches.ts';
import { requireActor } from './record.ts';
import { type Errors, errorSummary, field, fmtDateTime, str } from './ui.ts';
import { term } from './vocab.ts';

export async function threadPage(
  c: Ctx,
  id: string,
  o: { errors?: Errors; status?: number } = {},
): Promise<FastifyReply> {
  const a = requireActor(c);
  const t = await getThread(c.db, a, id);
  const rec = await recordLookup(c);
  const need = await rec(t.needId);
  const offer = await rec(t.offerId);
  const other = t.fromOrg === a.organisationId ? t.toOrg : t.fromOrg;
  const otherName = other ? (await getOrganisation(c.db, other)).name : '';
  const side = { organisationId: a.organisationId };
  const errors = o.errors ?? new Map();
  const labels = { body: c.t('reg.thread.reply') };
  const open = t.state === 'open';
  const body = html`<h1>${c.t('reg.thread.with', { org: otherName })}</h1>
<p class="meta">${c.t('reg.thread.about')}: ${recordLink(c, need)} ↔ ${recordLink(c, offer)}</p>
<p class="status">${c.t('reg.field.status')}: <strong>${term(c.lang, 'thread', t.state)}</strong></p>
<h2 id="messages">${c.t('reg.thread.messages')}</h2>
<ol class="messages">${t.messages.map(
    (m) =>
      html`<li><article><p class="meta"><span dir="auto">${m.authorName ?? '—'}</span> · <time datetime="${m.createdAt.toISOString()}">${fmtDateTime(c.lang, m.createdAt)}</time></p><p class="text" dir="auto">${m.body}</p></article></li>`,
  )}</ol>
${
  open && can(a, 'thread.post', side)
    ? html`${errorSummary(c.lang, errors, labels)}<form method="post" action="${c.href(`/thread/${t.id}/messages`)}" class="stack" novalidate>${c.csrf}
${field(c.lang, errors, { name: 'body', label: labels.body, rows: 4, required: true, maxlength: 10000, dirAuto: true })}
<p><button type="submit">${c.t('reg.thread.send')}</button></p></form>`
    : ''
}
${
  open && can(a, 'thread.partnership', side)
    ? html`<div class="actions"><form method="post" action="${c.href(`/thread/${t.id}/state`)}" class="inline">${c.csrf}<input type="hidden" name="state" value="partnership"><button type="submit">${c.t('reg.thread.mark')}</button></form>
<form method="post" action="${c.href(`/thread/${t.id}/state`)}" class="inline">${c.csrf}<input type="hidden" name="state" value="closed"><button type="submit" class="secondary">${c.t('reg.thread.close')}</button></form></div>`
    : ''
}`;
  return c.send({
    title: c.t('reg.thread.with', { org: otherName }),
    path: `/registry/thread/${t.id}`,
    section: 'matches',
    body,
    status: o.status ?? 200,
  });
}

export async function replyAction(c: Ctx, id: string, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  limitWrite(a, c.o.limits);
  try {
    await postMessage(c.db, a, id, str(b, 'body'));
  } catch (e) {
    if (e instanceof PontisError && e.code === 'invalid_input' && e.location.field === 'body')
      return threadPage(c, id, { errors: new Map([['body', c.t('reg.err.body')]]), status: 400 });
    throw e;
  }
  return redirect(c, c.href(`/thread/${id}#messages`));
}

export async function threadStateAction(c: Ctx, id: string, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  const state = str(b, 'state');
  if (state !== 'partnership' && state !== 'closed') return errorPage(c, 'invalid', { parameter: 'state' });
  limitWrite(a, c.o.limits);
  await setThreadState(c.db, a, id, state);
  return redirect(c, c.href(`/thread/${id}`));
}
