/**
 * A record's page: every field in the page language (SDG titles, country and region names, the
 * registry's terms), contact details only with the author's consent, its status and moderation
 * note for those who may see an unpublished record, the actions the visitor may take (edit, submit,
 * withdraw, archive; publish or reject for moderators), and for a published need or offer its best
 * matches, each with the reasons for its rank and an "express interest" form when the visitor's
 * organisation can take it up. Also the two form routes of this page: status changes and interest.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { findMatches } from '../../registry/matchmaking.ts';
import { goalsOf, type RecordKind, STATUSES, type Status } from '../../registry/model.ts';
import { getOrganisation } from '../../registry/organisations.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import {
  getRecord,
  organisationRecords,
  type StoredRecord,
  transitionRecord,
} from '../../registry/records.ts';
import { type Actor, can } from '../../registry/roles.ts';
import { expressInterest } from '../../registry/threads.ts';
import { type Html, html } from '../html.ts';
import { LANG_NAMES, LANGS } from '../i18n.ts';
import { redirect } from './auth.ts';
import type { Body, Ctx } from './context.ts';
import { errorPage } from './errors.ts';
import { explanation } from './explain.ts';
import { fmtDateTime, str } from './ui.ts';
import { countryName, goalTitle, list, regionName, shown, term } from './vocab.ts';

const COUNTERPART: Partial<Record<RecordKind, RecordKind>> = { need: 'offer', offer: 'need' };

/** A link for an address the author gave, only when it is http(s); otherwise the text. */
export function safeLink(url: string): Html {
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="nofollow noopener noreferrer"><bdi>${url}</bdi></a>`
    : html`<bdi>${url}</bdi>`;
}

export function requireActor(c: Ctx): Actor {
  if (!c.actor) throw new PontisError('unauthenticated', 'sign in first');
  return c.actor;
}

const target = (r: StoredRecord) => ({
  organisationId: r.organisationId,
  createdBy: r.createdBy,
  status: r.status,
});

/** The buttons for the moves the visitor may make on the record (each a small POST form). */
export function statusActions(c: Ctx, r: StoredRecord, back?: string): Html {
  const a = c.actor;
  if (!a) return html``;
  const moves: [Status, string][] = [];
  const t = target(r);
  if ((r.status === 'draft' || r.status === 'rejected') && can(a, 'record.submit', t))
    moves.push(['submitted', c.t('reg.action.submit')]);
  if (r.status === 'submitted' && can(a, 'record.withdraw', t))
    moves.push(['draft', c.t('reg.action.withdraw')]);
  if (r.status === 'submitted' && can(a, 'record.publish', t))
    moves.push(['published', c.t('reg.action.publish')]);
  if (r.status !== 'archived' && r.status !== 'submitted' && can(a, 'record.archive', t))
    moves.push(['archived', c.t('reg.action.archive')]);
  const action = c.href(`/record/${r.id}/status`);
  const backField = back ? html`<input type="hidden" name="back" value="${back}">` : '';
  const forms = moves.map(
    ([to, label]) =>
      html`<form method="post" action="${action}" class="inline">${c.csrf}${backField}<input type="hidden" name="to" value="${to}"><button type="submit">${label}</button></form>`,
  );
  const edit =
    r.status !== 'published' && r.status !== 'archived' && can(a, 'record.edit', t)
      ? html`<a href="${c.href(`/record/${r.id}/edit`)}">${c.t('reg.action.edit')}</a>`
      : '';
  const reject =
    r.status === 'submitted' && can(a, 'record.reject', t)
      ? html`<form method="post" action="${action}" class="reject">${c.csrf}${backField}<input type="hidden" name="to" value="rejected"><div class="field"><label for="reason-${r.id}">${c.t('reg.field.reason')}</label><textarea id="reason-${r.id}" name="reason" rows="2" required maxlength="2000" dir="auto"></textarea></div><button type="submit">${c.t('reg.action.reject')}</button></form>`
      : '';
  if (forms.length === 0 && !edit && !reject) return html``;
  return html`<div class="actions">${edit}${forms}</div>${reject}`;
}

function facts(c: Ctx, r: StoredRecord, orgName: string | null): Html {
  const L = c.lang;
  const none = c.t('reg.none');
  const goals = goalsOf(r);
  const row = (label: string, value: Html | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="facts">
${row(c.t('reg.field.kind'), term(L, 'kind', r.kind))}
${row(c.t('reg.field.organisation'), orgName ? html`<span dir="auto">${orgName}</span>` : none)}
${row(
  c.t('reg.field.sdgs'),
  goals.length > 0
    ? html`<ul class="plain">${goals.map((g) => html`<li>${c.t('reg.sdg.full', { n: g, name: goalTitle(L, g) })}</li>`)}</ul>`
    : none,
)}
${row(c.t('reg.field.sdgTargets'), r.sdgTargets.length > 0 ? r.sdgTargets.join(', ') : none)}
${row(
  c.t('reg.field.countries'),
  r.countries.length > 0
    ? list(
        L,
        r.countries.map((x) => countryName(L, x)),
      )
    : c.t('reg.global'),
)}
${row(
  c.t('reg.field.regions'),
  r.regions.length > 0
    ? list(
        L,
        r.regions.map((x) => regionName(L, x)),
      )
    : none,
)}
${row(
  c.t('reg.field.sectors'),
  r.sectors.length > 0
    ? list(
        L,
        r.sectors.map((s) => term(L, 'sector', s)),
      )
    : none,
)}
${row(c.t('reg.field.readiness'), r.readiness !== null ? c.t('reg.readiness.level', { n: r.readiness }) : none)}
${row(c.t('reg.field.licence'), r.licence ? html`<bdi>${r.licence}</bdi>` : none)}
${row(
  c.t('reg.field.transferTerms'),
  r.transferTerms.length > 0
    ? list(
        L,
        r.transferTerms.map((x) => term(L, 'term', x)),
      )
    : none,
)}
${row(c.t('reg.field.url'), r.url ? safeLink(r.url) : none)}
${row(c.t('reg.field.sources'), r.sources.length > 0 ? html`<ul class="plain">${r.sources.map((s) => html`<li>${safeLink(s)}</li>`)}</ul>` : none)}
${row(c.t('reg.field.originalLang'), html`<span lang="${r.originalLang}">${LANG_NAMES[r.originalLang]}</span>`)}
${
  r.contactConsent && (r.contactName || r.contactEmail)
    ? row(
        c.t('reg.field.contact'),
        html`${r.contactName ? html`<span dir="auto">${r.contactName}</span> ` : ''}${r.contactEmail ? html`<a href="mailto:${r.contactEmail}">${r.contactEmail}</a>` : ''}`,
      )
    : ''
}
${row(c.t('reg.field.updated'), fmtDateTime(L, r.updatedAt))}
${r.publishedAt ? row(c.t('reg.field.published'), fmtDateTime(L, r.publishedAt)) : ''}
</dl>`;
}

/** Other languages the record is written in. */
function translations(c: Ctx, r: StoredRecord): Html {
  const others = LANGS.filter(
    (l) => l !== c.lang && (r.title[l] !== undefined || r.summary[l] !== undefined),
  );
  const main = r.title[c.lang] !== undefined ? c.lang : r.originalLang;
  const rest = others.filter((l) => l !== main);
  if (rest.length === 0) return html``;
  return html`<h2>${c.t('reg.record.translations')}</h2>${rest.map(
    (l) =>
      html`<section lang="${l}" dir="${l === 'ar' ? 'rtl' : 'ltr'}" class="translation" aria-label="${LANG_NAMES[l]}"><h3>${r.title[l] ?? ''}</h3><p class="text">${r.summary[l] ?? ''}</p></section>`,
  )}`;
}

async function matchesSection(c: Ctx, r: StoredRecord): Promise<Html> {
  const counterpart = COUNTERPART[r.kind];
  if (!counterpart || r.status !== 'published') return html``;
  const { matches } = await findMatches(c.db, c.actor, r.id, { limit: 5 });
  const a = c.actor;
  const mine = a?.organisationId ?? null;
  const canInterest = a !== null && can(a, 'interest.express') && mine !== null;
  const ownRecord = canInterest && r.organisationId === mine;
  const pair = (m: StoredRecord) =>
    r.kind === 'need' ? { needId: r.id, offerId: m.id } : { needId: m.id, offerId: r.id };
  const interestForm = (p: { needId: string; offerId: string }, key: string, choose?: Html) =>
    html`<form method="post" action="${c.href('/interest')}" class="interest">${c.csrf}
${choose ?? html`<input type="hidden" name="needId" value="${p.needId}"><input type="hidden" name="offerId" value="${p.offerId}">`}
<div class="field"><label for="msg-${key}">${c.t('reg.interest.message')}</label><textarea id="msg-${key}" name="message" rows="2" maxlength="10000" dir="auto">${c.t('reg.interest.default')}</textarea></div>
<button type="submit">${c.t('reg.interest.submit')}</button></form>`;

  let fromOwn = html``;
  if (canInterest && !ownRecord && r.organisationId !== null) {
    const own = (await organisationRecords(c.db, a, mine!)).filter(
      (x) => x.kind === counterpart && x.status === 'published',
    );
    const field = r.kind === 'need' ? 'offerId' : 'needId';
    const fixed = r.kind === 'need' ? 'needId' : 'offerId';
    fromOwn =
      own.length === 0
        ? html`<p class="note">${c.t(counterpart === 'need' ? 'reg.interest.noneed' : 'reg.interest.nooffer')}</p>`
        : interestForm(
            { needId: '', offerId: '' },
            'own',
            html`<input type="hidden" name="${fixed}" value="${r.id}"><div class="field"><label for="f-${field}">${c.t(counterpart === 'need' ? 'reg.interest.fromneed' : 'reg.interest.fromoffer')}</label><select id="f-${field}" name="${field}">${own.map(
              (x) =>
                html`<option value="${x.id}">${x.title[c.lang] ?? x.title[x.originalLang] ?? x.id}</option>`,
            )}</select></div>`,
          );
    fromOwn = html`<section class="card" aria-labelledby="interest-title"><h2 id="interest-title">${c.t('reg.interest.title')}</h2>${fromOwn}</section>`;
  }

  const items = matches.map((m) => {
    const other = m.record;
    const form =
      ownRecord && other.organisationId !== null && other.organisationId !== mine
        ? interestForm(pair(other), other.id)
        : '';
    return html`<li class="match"><h3><a href="${c.href(`/record/${other.id}`)}">${shown(other.title, c.lang, other.originalLang)}</a></h3>
${explanation(c.lang, m.score, m.factors, other.id)}${form}</li>`;
  });
  return html`${fromOwn}<h2 id="matches">${c.t(counterpart === 'offer' ? 'reg.record.matches.offers' : 'reg.record.matches.needs')}</h2>
<p class="note">${c.t('reg.record.matches.how')}</p>
${items.length > 0 ? html`<ol class="matches">${items}</ol>` : html`<p>${c.t('reg.record.matches.none')}</p>`}`;
}

export async function recordPage(c: Ctx, id: string): Promise<FastifyReply> {
  const r = await getRecord(c.db, c.actor, id);
  const org = r.organisationId ? await getOrganisation(c.db, r.organisationId) : null;
  const status =
    r.status !== 'published'
      ? html`<p class="status status-${r.status}">${c.t('reg.field.status')}: <strong>${term(c.lang, 'status', r.status)}</strong></p>${
          r.status === 'rejected' && r.moderationNote
            ? html`<p class="moderation-note">${c.t('reg.record.note')}: <span dir="auto">${r.moderationNote}</span></p>`
            : ''
        }`
      : html``;
  const titleText = r.title[c.lang] ?? r.title[r.originalLang] ?? '';
  const body = html`<p class="kind">${term(c.lang, 'kind', r.kind)}</p>
<h1>${shown(r.title, c.lang, r.originalLang)}</h1>
${status}
<p class="text summary">${shown(r.summary, c.lang, r.originalLang)}</p>
${statusActions(c, r)}
<h2>${c.t('reg.record.details')}</h2>
${facts(c, r, org?.name ?? null)}
${translations(c, r)}
${await matchesSection(c, r)}`;
  return c.send({ title: titleText, path: `/registry/record/${r.id}`, body, section: 'browse' });
}

export async function statusAction(c: Ctx, id: string, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  const to = str(b, 'to');
  if (!(STATUSES as readonly string[]).includes(to)) return errorPage(c, 'invalid', { parameter: 'to' });
  limitWrite(a, c.o.limits);
  await transitionRecord(c.db, a, id, to as Status, str(b, 'reason') || undefined);
  const back = str(b, 'back');
  if (back === 'moderation') return redirect(c, c.href('/moderation'));
  if (back === 'organisation') return redirect(c, c.href('/organisation'));
  return redirect(c, c.href(`/record/${id}`));
}

export async function interestAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  limitWrite(a, c.o.limits);
  const thread = await expressInterest(c.db, a, {
    needId: str(b, 'needId'),
    offerId: str(b, 'offerId'),
    message: str(b, 'message') || c.t('reg.interest.default'),
  });
  return redirect(c, c.href(`/thread/${thread.id}`));
}
