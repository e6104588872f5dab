/**
 * Organisations, for admins (/organisations): every organisation with its type and country, a form
 * to create one and a form to give an existing account (by email) an organisation and any role; and
 * for an org admin (/organisation/edit) the form to edit their own organisation. The library checks
 * the roles (`createOrganisation`: admins; `addMember`: admins, or org admins within their own
 * organisation; `updateOrganisation`: the organisation's org admins); each validation error is
 * shown beside its field and in the summary at the top.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { addMember } from '../../registry/accounts.ts';
import { ROLES, STAKEHOLDER_TYPES } from '../../registry/model.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../registry/organisations.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import { authorize } from '../../registry/roles.ts';
import { type Html, html } from '../html.ts';
import { redirect } from './auth.ts';
import type { Body, Ctx } from './context.ts';
import { requireActor } from './record.ts';
import { type Errors, errorSummary, field, notice, select, str } from './ui.ts';
import { countryName, term } from './vocab.ts';

/** The organisation form's values as text. */
interface OrgValues {
  name: string;
  stakeholderType: string;
  country: string;
  url: string;
}

const ORG_FIELDS = ['name', 'stakeholderType', 'country', 'url'] as const;

const orgValues = (b: Body): OrgValues => ({
  name: str(b, 'name'),
  stakeholderType: str(b, 'stakeholderType'),
  country: str(b, 'country'),
  url: str(b, 'url'),
});

/** The library's input: empty country and address are none; the country code upper-cased. */
const orgInput = (v: OrgValues) => ({
  name: v.name,
  stakeholderType: v.stakeholderType,
  country: v.country.trim() === '' ? null : v.country.trim().toUpperCase(),
  url: v.url.trim() === '' ? null : v.url.trim(),
});

/** A library refusal of the organisation form as messages by field, or null for other errors. */
function orgErrors(c: Ctx, e: unknown): Errors | null {
  if (!(e instanceof PontisError)) return null;
  if (e.code === 'conflict' && e.location.field === 'name')
    return new Map([['name', c.t('reg.err.orgName.taken')]]);
  if (e.code !== 'invalid_input') return null;
  const paths = Array.isArray(e.details)
    ? (e.details as { field: string }[]).map((d) => d.field)
    : [e.location.field ?? ''];
  const errors: Errors = new Map();
  for (const p of paths) {
    const f = p.split('.')[0] as (typeof ORG_FIELDS)[number];
    const key =
      f === 'stakeholderType'
        ? 'stakeholderType'
        : f === 'country'
          ? 'country'
          : f === 'url'
            ? 'url'
            : 'name';
    if (errors.has(key)) continue;
    errors.set(
      key,
      c.t(
        key === 'name'
          ? 'reg.err.orgName'
          : key === 'stakeholderType'
            ? 'reg.err.stakeholderType'
            : key === 'country'
              ? 'reg.err.country'
              : 'reg.err.url',
      ),
    );
  }
  return errors;
}

const orgLabels = (c: Ctx): Record<string, string> => ({
  name: c.t('reg.field.orgName'),
  stakeholderType: c.t('reg.field.stakeholderType'),
  country: c.t('reg.field.country'),
  url: c.t('reg.field.orgUrl'),
});

/** The fields of an organisation (create and edit share them); ids are prefixed per form. */
function orgFields(c: Ctx, errors: Errors, v: OrgValues): Html {
  const L = orgLabels(c);
  return html`${field(c.lang, errors, { name: 'name', label: L.name!, value: v.name, required: true, maxlength: 300, dirAuto: true, autocomplete: 'organization' })}
${select(c.lang, errors, { name: 'stakeholderType', label: L.stakeholderType!, value: v.stakeholderType, options: STAKEHOLDER_TYPES.map((s) => ({ value: s, label: term(c.lang, 'stakeholder', s) })) })}
${field(c.lang, errors, { name: 'country', label: L.country!, value: v.country, maxlength: 3, hint: c.t('reg.hint.country') })}
${field(c.lang, errors, { name: 'url', label: L.url!, value: v.url, type: 'url', maxlength: 2000 })}`;
}

const EMPTY_ORG: OrgValues = { name: '', stakeholderType: 'government', country: '', url: '' };

interface AdminState {
  create?: { values: OrgValues; errors: Errors };
  member?: { email: string; organisationId: string; role: string; errors: Errors };
  status?: number;
}

/** The admins' page: every organisation, the create form and the add-a-user form. */
export async function organisationsPage(c: Ctx, s: AdminState = {}): Promise<FastifyReply> {
  authorize(c.actor, 'organisation.create');
  const orgs = await listOrganisations(c.db);
  const q = (c.req.query ?? {}) as Record<string, unknown>;
  const created = String(q.created ?? '') === '1';
  const added = String(q.added ?? '') === '1';
  const saved = String(q.saved ?? '') === '1';
  const ce = s.create?.errors ?? new Map();
  const me = s.member?.errors ?? new Map();
  const memberLabels = {
    email: c.t('reg.field.email'),
    organisationId: c.t('reg.field.organisation'),
    role: c.t('reg.account.role'),
  };
  // Two forms on one page: only the one that was sent shows its errors (ids stay unique because
  // the forms' fields have different names).
  const body = html`<h1>${c.t('reg.orgs.title')}</h1>
<p>${c.t('reg.orgs.intro')}</p>
${saved ? notice(c.t('reg.org.saved')) : ''}
${
  orgs.length === 0
    ? html`<p>${c.t('reg.orgs.none')}</p>`
    : html`<div class="scroll"><table><caption>${c.t('reg.orgs.caption')}</caption>
<thead><tr><th scope="col">${c.t('reg.field.orgName')}</th><th scope="col">${c.t('reg.field.stakeholderType')}</th><th scope="col">${c.t('reg.field.country')}</th><th scope="col">${c.t('reg.org.actions')}</th></tr></thead>
<tbody>${orgs.map((o) => html`<tr><th scope="row" dir="auto">${o.name}</th><td>${term(c.lang, 'stakeholder', o.stakeholderType)}</td><td>${o.country ? countryName(c.lang, o.country) : ''}</td><td><a href="${c.href(`/organisation/edit?id=${o.id}`)}">${c.t('reg.orgs.edit')}<span class="sr-only"> ${o.name}</span></a></td></tr>`)}</tbody></table></div>`
}
<h2 id="create">${c.t('reg.orgs.create')}</h2>
${created ? notice(c.t('reg.orgs.created')) : ''}
${errorSummary(c.lang, ce, orgLabels(c))}
<form method="post" action="${c.href('/organisations')}" class="stack" novalidate>${c.csrf}
${orgFields(c, ce, s.create?.values ?? EMPTY_ORG)}
<p><button type="submit">${c.t('reg.orgs.create.submit')}</button></p>
</form>
<h2 id="add-user">${c.t('reg.orgs.add')}</h2>
${added ? notice(c.t('reg.orgs.added')) : ''}
${
  orgs.length === 0
    ? html`<p>${c.t('reg.orgs.none')}</p>`
    : html`${errorSummary(c.lang, me, memberLabels)}
<form method="post" action="${c.href('/organisations/members')}" class="stack" novalidate>${c.csrf}
${field(c.lang, me, { name: 'email', label: memberLabels.email, type: 'email', value: s.member?.email ?? '', required: true, hint: c.t('reg.hint.anyUser') })}
${select(c.lang, me, { name: 'organisationId', label: memberLabels.organisationId, value: s.member?.organisationId ?? '', options: orgs.map((o) => ({ value: o.id, label: o.name })) })}
${select(c.lang, me, { name: 'role', label: memberLabels.role, value: s.member?.role ?? 'contributor', options: ROLES.map((r) => ({ value: r, label: term(c.lang, 'role', r) })) })}
<p><button type="submit">${c.t('reg.orgs.add.submit')}</button></p>
</form>`
}`;
  return c.send({
    title: c.t('reg.orgs.title'),
    path: '/registry/organisations',
    section: 'organisations',
    body,
    status: s.status ?? 200,
  });
}

export async function createOrganisationAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  authorize(a, 'organisation.create');
  const values = orgValues(b);
  limitWrite(a, c.o.limits);
  try {
    await createOrganisation(c.db, a, orgInput(values));
  } catch (e) {
    const errors = orgErrors(c, e);
    if (!errors) throw e;
    return organisationsPage(c, {
      create: { values, errors },
      status: e instanceof PontisError && e.code === 'conflict' ? 409 : 400,
    });
  }
  return redirect(c, c.href('/organisations?created=1#create'));
}

/** An admin gives an existing account (by email) an organisation and a role. */
export async function adminAddMemberAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  authorize(a, 'organisation.create'); // this form is the admins'; org admins use /organisation
  const member = { email: str(b, 'email'), organisationId: str(b, 'organisationId'), role: str(b, 'role') };
  limitWrite(a, c.o.limits);
  try {
    await addMember(c.db, a, member.organisationId, member.email, member.role);
  } catch (e) {
    if (
      e instanceof PontisError &&
      (e.code === 'not_found' || e.code === 'invalid_input' || e.code === 'conflict')
    ) {
      const f = e.location.field;
      const [name, msg] =
        f === 'role'
          ? ['role', e.code === 'conflict' ? c.t('reg.err.lastAdmin') : c.t('reg.err.role')]
          : f === 'organisationId'
            ? ['organisationId', c.t('reg.err.organisationId')]
            : ['email', c.t('reg.err.anyUser')];
      return organisationsPage(c, {
        member: { ...member, errors: new Map([[name, msg]]) },
        status: e.code === 'conflict' ? 409 : 400,
      });
    }
    throw e;
  }
  return redirect(c, c.href('/organisations?added=1#add-user'));
}

/**
 * The organisation a member edits is their own; an admin (who belongs to none) names one. The
 * role is checked here for the page and again by the library for the write.
 */
function editedOrg(c: Ctx, own: string | null, named: string): string {
  const id = own ?? named;
  if (!id) throw new PontisError('not_found', 'no organisation named', { field: 'id' });
  authorize(c.actor, 'organisation.edit', { organisationId: id });
  return id;
}

/** The form to edit an organisation: an org admin's own, or (for an admin) any. */
export async function organisationEditPage(
  c: Ctx,
  s: { values?: OrgValues; errors?: Errors; status?: number } = {},
): Promise<FastifyReply> {
  const a = requireActor(c);
  const orgId = editedOrg(c, a.organisationId, String((c.req.query as Record<string, unknown>)?.id ?? ''));
  const org = await getOrganisation(c.db, orgId);
  const values = s.values ?? {
    name: org.name,
    stakeholderType: org.stakeholderType,
    country: org.country ?? '',
    url: org.url ?? '',
  };
  const errors = s.errors ?? new Map();
  const body = html`<h1>${c.t('reg.org.edit')}</h1>
${errorSummary(c.lang, errors, orgLabels(c))}
<form method="post" action="${c.href('/organisation/edit')}" class="stack" novalidate>${c.csrf}
${a.organisationId ? '' : html`<input type="hidden" name="organisationId" value="${org.id}">`}
${orgFields(c, errors, values)}
<p><button type="submit">${c.t('reg.org.edit.submit')}</button></p>
</form>
<p><a href="${c.href(a.organisationId ? '/organisation' : '/organisations')}">${a.organisationId ? org.name : c.t('reg.orgs.title')}</a></p>`;
  return c.send({
    title: c.t('reg.org.edit'),
    path: '/registry/organisation/edit',
    section: 'organisation',
    body,
    status: s.status ?? 200,
  });
}

export async function organisationEditAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const a = requireActor(c);
  const orgId = editedOrg(c, a.organisationId, str(b, 'organisationId'));
  const values = orgValues(b);
  limitWrite(a, c.o.limits);
  try {
    await updateOrganisation(c.db, a, orgId, orgInput(values));
  } catch (e) {
    const errors = orgErrors(c, e);
    if (!errors) throw e;
    return organisationEditPage(c, {
      values,
      errors,
      status: e instanceof PontisError && e.code === 'conflict' ? 409 : 400,
    });
  }
  return redirect(c, c.href(a.organisationId ? '/organisation?saved=1' : '/organisations?saved=1'));
}
