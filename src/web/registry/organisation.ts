/**
 * My organisation: its records in every status (with the moves the visitor may make on each), and
 * for its org admins the members and a form to add one (by email, with a role up to org admin).
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { addMember, listUsers } from '../../registry/accounts.ts';
import { getOrganisation } from '../../registry/organisations.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import { organisationRecords } from '../../registry/records.ts';
import { can } from '../../registry/roles.ts';
import { html } from '../html.ts';
import { redirect } from './auth.ts';
import type { Body, Ctx } from './context.ts';
import { requireActor, statusActions } from './record.ts';
import { type Errors, errorSummary, field, fmtDateTime, notice, select, str } from './ui.ts';
import { shown, term } from './vocab.ts';

const MEMBER_ROLES = ['viewer', 'contributor', 'org_admin'] as const;

export async function organisationPage(
  c: Ctx,
  o: { errors?: Errors; email?: string; role?: string; status?: number } = {},
): Promise<FastifyReply> {
  const a = requireActor(c);
  if (!a.organisationId)
    return c.send({
      title: c.t('reg.org.title'),
      path: '/registry/organisation',
      section: 'organisation',
      body: html`<h1>${c.t('reg.org.title')}</h1><p>${c.t('reg.account.join')}</p>`,
    });
  const org = await getOrganisation(c.db, a.organisationId);
  const records = await organisationRecords(c.db, a, org.id);
  const admin = can(a, 'organisation.add_member', { organisationId: org.id });
  const members = admin ? await listUsers(c.db, a, { organisationId: org.id }) : [];
  const errors = o.errors ?? new Map();
  const added = String((c.req.query as Record<string, unknown>)?.added ?? '') === '1';
  const saved = String((c.req.query as Record<string, unknown>)?.saved ?? '') === '1';
  const editable = can(a, 'organisation.edit', { organisationId: org.id });
  const labels = { email: c.t('reg.field.email'), role: c.t('reg.account.role') };
  const body = html`<h1><span class="sr-only">${c.t('reg.org.title')}: </span><span dir="auto">${org.name}</span></h1>
<p class="meta">${term(c.lang, 'stakeholder', org.stakeholderType)}</p>
${saved ? notice(c.t('reg.org.saved')) : ''}
${editable ? html`<p><a href="${c.href('/organisation/edit')}">${c.t('reg.org.edit')}</a></p>` : ''}
<h2 id="records">${c.t('reg.org.records')}</h2>
${
  records.length === 0
    ? html`<p>${c.t('reg.org.norecords')}</p>`
    : html`<div class="scroll"><table><caption>${c.t('reg.org.records.caption', { name: org.name })}</caption>
<thead><tr><th scope="col">${c.t('reg.field.title')}</th><th scope="col">${c.t('reg.field.kind')}</th><th scope="col">${c.t('reg.field.status')}</th><th scope="col">${c.t('reg.field.updated')}</th><th scope="col">${c.t('reg.org.actions')}</th></tr></thead>
<tbody>${records.map(
        (r) =>
          html`<tr><th scope="row"><a href="${c.href(`/record/${r.id}`)}">${shown(r.title, c.lang, r.originalLang)}</a>${
            r.status === 'rejected' && r.moderationNote
              ? html`<p class="moderation-note">${c.t('reg.record.note')}: <span dir="auto">${r.moderationNote}</span></p>`
              : ''
          }</th><td>${term(c.lang, 'kind', r.kind)}</td><td>${term(c.lang, 'status', r.status)}</td><td>${fmtDateTime(c.lang, r.updatedAt)}</td><td>${statusActions(c, r, 'organisation')}</td></tr>`,
      )}</tbody></table></div>`
}
${
  admin
    ? html`<h2 id="members">${c.t('reg.org.members')}</h2>
<div class="scroll"><table><caption>${c.t('reg.org.members.caption', { name: org.name })}</caption>
<thead><tr><th scope="col">${c.t('reg.field.displayName')}</th><th scope="col">${c.t('reg.field.email')}</th><th scope="col">${c.t('reg.account.role')}</th></tr></thead>
<tbody>${members.map((m) => html`<tr><th scope="row" dir="auto">${m.displayName}</th><td>${m.email}</td><td>${term(c.lang, 'role', m.role)}</td></tr>`)}</tbody></table></div>
<h3 id="add-member">${c.t('reg.org.add')}</h3>
${added ? notice(c.t('reg.org.added')) : ''}
${errorSummary(c.lang, errors, labels)}
<form method="post" action="${c.href('/organisation/members')}" class="stack" novalidate>${c.csrf}
${field(c.lang, errors, { name: 'email', label: labels.email, type: 'email', value: o.email ?? '', required: true, hint: c.t('reg.hint.member') })}
${select(c.lang, errors, { name: 'role', label: labels.role, value: o.role ?? 'contributor', options: MEMBER_ROLES.map((r) => ({ value: r, label: term(c.lang, 'role', r) })) })}
<p><button type="submit">${c.t('reg.org.add.submit')}</button></p>
</form>`
    : ''
}`;
  return c.send({
    title: org.name,
    path: '/registry/organisation',
    section: 'organisation',
    body,
    status: o.status ?? 200,
  });
}

export async function addMemberAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  const email = str(b, 'email');
  const role = str(b, 'role');
  // An admin belongs to no organisation: the form of another organisation's page names it.
  const orgId = a.organisationId ?? str(b, 'organisationId');
  limitWrite(a, c.o.limits);
  try {
    await addMember(c.db, a, orgId, email, role);
  } catch (e) {
    if (
      e instanceof PontisError &&
      (e.code === 'not_found' || e.code === 'invalid_input') &&
      a.organisationId
    ) {
      const f = e.location.field === 'role' ? 'role' : 'email';
      const msg = f === 'role' ? c.t('reg.err.role') : c.t('reg.err.member');
      return organisationPage(c, { errors: new Map([[f, msg]]), email, role, status: 400 });
    }
    throw e;
  }
  return redirect(c, c.href('/organisation?added=1'));
}
