/**
 * Accounts on the web: sign-in, sign-up, sign-out (a POST), the password-reset request and the
 * reset-with-token page the mail links to, and the account page. The library does the work
 * (accounts.ts: argon2id, rate limits, session rotation); these pages show its answers in the page
 * language, with each field's error beside the field.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import {
  changePassword,
  requestPasswordReset,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from '../../registry/accounts.ts';
import { getOrganisation } from '../../registry/organisations.ts';
import { PASSWORD_MIN } from '../../registry/passwords.ts';
import { isToken } from '../../registry/sessions.ts';
import { html } from '../html.ts';
import { LANG_NAMES } from '../i18n.ts';
import type { Body, Ctx, Query } from './context.ts';
import { clearSessionCookie, ensureSession, setSessionCookie } from './session.ts';
import { type Errors, errorSummary, field, notice, str } from './ui.ts';
import { term } from './vocab.ts';

export const redirect = (c: Ctx, url: string): FastifyReply =>
  c.reply.header('cache-control', 'no-store').redirect(url, 303);

/** Where to go after signing in: only an address of this site's registry (no open redirect). */
function safeNext(next: unknown): string | null {
  return typeof next === 'string' && /^\/(ar|zh|en|fr|ru|es)\/registry(\/[A-Za-z0-9/_-]*)?$/.test(next)
    ? next
    : null;
}

const firstQ = (q: Query, k: string): string | undefined => {
  const v = q[k];
  return Array.isArray(v) ? v[0] : v;
};

function signInForm(
  c: Ctx,
  o: { email?: string; next?: string | null; errors?: Errors; status?: number; message?: string },
) {
  const errors = o.errors ?? new Map();
  const labels = { email: c.t('reg.field.email'), password: c.t('reg.field.password') };
  return c.send({
    title: c.t('reg.signin.title'),
    path: '/registry/sign-in',
    status: o.status ?? 200,
    section: 'account',
    body: html`<h1>${c.t('reg.signin.title')}</h1>
${o.message ? notice(o.message) : ''}
${errorSummary(c.lang, errors, labels)}
<form method="post" action="${c.href('/sign-in')}" class="stack" novalidate>${c.csrf}
${o.next ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
${field(c.lang, errors, { name: 'email', label: labels.email, type: 'email', value: o.email ?? '', autocomplete: 'username', required: true })}
${field(c.lang, errors, { name: 'password', label: labels.password, type: 'password', autocomplete: 'current-password', required: true })}
<p><button type="submit">${c.t('reg.signin.submit')}</button></p>
</form>
<p><a href="${c.href('/forgot-password')}">${c.t('reg.forgot.title')}</a></p>
<p><a href="${c.href('/sign-up')}">${c.t('reg.signup.title')}</a></p>`,
  });
}

export async function signInPage(c: Ctx, q: Query): Promise<FastifyReply> {
  await ensureSession(c);
  const msg = firstQ(q, 'created')
    ? c.t('reg.signup.done')
    : firstQ(q, 'reset')
      ? c.t('reg.reset.done')
      : firstQ(q, 'out')
        ? c.t('reg.signout.done')
        : undefined;
  return signInForm(c, { next: safeNext(firstQ(q, 'next')), ...(msg ? { message: msg } : {}) });
}

export async function signInAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const email = str(b, 'email');
  const next = safeNext(str(b, 'next'));
  try {
    const { session } = await signIn(
      c.db,
      { email, password: str(b, 'password') },
      {
        ip: c.req.ip,
        sessionToken: c.visitor.token,
        limits: c.o.limits,
        ...(c.o.argon2 ? { argon2: c.o.argon2 } : {}),
      },
    );
    setSessionCookie(c, session.token, session.expiresAt);
    return redirect(c, next ?? c.href('/account'));
  } catch (e) {
    if (e instanceof PontisError && (e.code === 'unauthenticated' || e.code === 'invalid_input')) {
      const errors: Errors = new Map([['email', c.t('reg.err.credentials')]]);
      return signInForm(c, { email, next, errors, status: e.code === 'unauthenticated' ? 401 : 400 });
    }
    throw e;
  }
}

function signUpForm(c: Ctx, o: { values?: Record<string, string>; errors?: Errors; status?: number }) {
  const errors = o.errors ?? new Map();
  const v = o.values ?? {};
  const labels = {
    displayName: c.t('reg.field.displayName'),
    email: c.t('reg.field.email'),
    password: c.t('reg.field.newPassword'),
  };
  return c.send({
    title: c.t('reg.signup.title'),
    path: '/registry/sign-up',
    status: o.status ?? 200,
    section: 'account',
    body: html`<h1>${c.t('reg.signup.title')}</h1>
<p>${c.t('reg.signup.intro')}</p>
${errorSummary(c.lang, errors, labels)}
<form method="post" action="${c.href('/sign-up')}" class="stack" novalidate>${c.csrf}
${field(c.lang, errors, { name: 'displayName', label: labels.displayName, value: v.displayName ?? '', autocomplete: 'name', required: true, maxlength: 200, dirAuto: true })}
${field(c.lang, errors, { name: 'email', label: labels.email, type: 'email', value: v.email ?? '', autocomplete: 'email', required: true })}
${field(c.lang, errors, { name: 'password', label: labels.password, type: 'password', autocomplete: 'new-password', required: true, hint: c.t('reg.hint.password', { min: PASSWORD_MIN }) })}
<p><button type="submit">${c.t('reg.signup.submit')}</button></p>
</form>`,
  });
}

export async function signUpPage(c: Ctx): Promise<FastifyReply> {
  await ensureSession(c);
  return signUpForm(c, {});
}

/** A password-policy or field error in the page language. */
function accountFieldError(c: Ctx, e: PontisError): [string, string] {
  const field = e.location.field?.split('.')[0] ?? 'email';
  if (e.code === 'conflict') return ['email', c.t('reg.err.email_taken')];
  if (field === 'password' || field === 'newPassword') {
    const reason = (e.details as { reason?: string } | undefined)?.reason;
    const key =
      reason === 'too_common'
        ? 'reg.err.password.common'
        : reason === 'same_as_email'
          ? 'reg.err.password.email'
          : 'reg.err.password.length';
    return ['password', c.t(key, { min: PASSWORD_MIN })];
  }
  if (field === 'displayName') return ['displayName', c.t('reg.err.displayName')];
  return ['email', c.t('reg.err.email')];
}

export async function signUpAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const values = { displayName: str(b, 'displayName'), email: str(b, 'email') };
  try {
    await signUp(
      c.db,
      { ...values, password: str(b, 'password'), lang: c.lang },
      { ip: c.req.ip, limits: c.o.limits, ...(c.o.argon2 ? { argon2: c.o.argon2 } : {}) },
    );
    return redirect(c, c.href('/sign-in?created=1'));
  } catch (e) {
    if (e instanceof PontisError && (e.code === 'invalid_input' || e.code === 'conflict')) {
      const [f, msg] = accountFieldError(c, e);
      return signUpForm(c, {
        values,
        errors: new Map([[f, msg]]),
        status: e.code === 'conflict' ? 409 : 400,
      });
    }
    throw e;
  }
}

export async function signOutAction(c: Ctx): Promise<FastifyReply> {
  await signOut(c.db, c.visitor.token);
  clearSessionCookie(c);
  return redirect(c, c.href('/sign-in?out=1'));
}

function forgotForm(c: Ctx, o: { email?: string; errors?: Errors; status?: number; sent?: boolean }) {
  const errors = o.errors ?? new Map();
  const labels = { email: c.t('reg.field.email') };
  return c.send({
    title: c.t('reg.forgot.title'),
    path: '/registry/forgot-password',
    status: o.status ?? 200,
    section: 'account',
    body: html`<h1>${c.t('reg.forgot.title')}</h1>
${o.sent ? notice(c.t('reg.forgot.sent')) : html`<p>${c.t('reg.forgot.intro')}</p>`}
${errorSummary(c.lang, errors, labels)}
<form method="post" action="${c.href('/forgot-password')}" class="stack" novalidate>${c.csrf}
${field(c.lang, errors, { name: 'email', label: labels.email, type: 'email', value: o.email ?? '', autocomplete: 'email', required: true })}
<p><button type="submit">${c.t('reg.forgot.submit')}</button></p>
</form>`,
  });
}

export async function forgotPage(c: Ctx): Promise<FastifyReply> {
  await ensureSession(c);
  return forgotForm(c, {});
}

export async function forgotAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const email = str(b, 'email');
  try {
    await requestPasswordReset(c.db, c.o.mail, email, {
      baseUrl: c.o.baseUrl,
      ip: c.req.ip,
      limits: c.o.limits,
    });
    return forgotForm(c, { sent: true });
  } catch (e) {
    if (e instanceof PontisError && e.code === 'invalid_input')
      return forgotForm(c, { email, errors: new Map([['email', c.t('reg.err.email')]]), status: 400 });
    throw e;
  }
}

function resetForm(c: Ctx, token: string, o: { errors?: Errors; status?: number } = {}) {
  const errors = o.errors ?? new Map();
  const labels = { password: c.t('reg.field.newPassword') };
  return c.send({
    title: c.t('reg.reset.title'),
    path: '/reset-password',
    status: o.status ?? 200,
    section: 'account',
    body: html`<h1>${c.t('reg.reset.title')}</h1>
${errorSummary(c.lang, errors, labels)}
<form method="post" action="/${c.lang}/reset-password" class="stack" novalidate>${c.csrf}
<input type="hidden" name="token" value="${token}">
${field(c.lang, errors, { name: 'password', label: labels.password, type: 'password', autocomplete: 'new-password', required: true, hint: c.t('reg.hint.password', { min: PASSWORD_MIN }) })}
<p><button type="submit">${c.t('reg.reset.submit')}</button></p>
</form>`,
  });
}

function badLink(c: Ctx): FastifyReply {
  return c.send({
    title: c.t('reg.reset.title'),
    path: '/reset-password',
    status: 400,
    section: 'account',
    body: html`<h1>${c.t('reg.reset.title')}</h1><p>${c.t('reg.reset.bad')}</p><p><a href="${c.href('/forgot-password')}">${c.t('reg.forgot.title')}</a></p>`,
  });
}

export async function resetPage(c: Ctx, q: Query): Promise<FastifyReply> {
  const token = firstQ(q, 'token');
  if (!isToken(token)) return badLink(c);
  await ensureSession(c);
  return resetForm(c, token);
}

export async function resetAction(c: Ctx, b: Body): Promise<FastifyReply> {
  const token = str(b, 'token');
  try {
    await resetPassword(c.db, token, str(b, 'password'), {
      limits: c.o.limits,
      ...(c.o.argon2 ? { argon2: c.o.argon2 } : {}),
    });
    return redirect(c, c.href('/sign-in?reset=1'));
  } catch (e) {
    if (e instanceof PontisError && e.code === 'invalid_input') {
      if (e.location.field === 'token') return badLink(c);
      const [f, msg] = accountFieldError(c, e);
      return resetForm(c, token, { errors: new Map([[f, msg]]), status: 400 });
    }
    throw e;
  }
}

export async function accountPage(
  c: Ctx,
  o: { errors?: Errors; status?: number } = {},
): Promise<FastifyReply> {
  const u = c.user;
  if (!u) return redirect(c, c.href(`/sign-in?next=${encodeURIComponent(c.href('/account'))}`));
  const org = u.organisationId ? await getOrganisation(c.db, u.organisationId) : null;
  const errors = o.errors ?? new Map();
  const changed = firstQ((c.req.query ?? {}) as Query, 'password') === 'changed';
  const labels = {
    currentPassword: c.t('reg.field.currentPassword'),
    newPassword: c.t('reg.field.newPassword'),
  };
  return c.send({
    title: c.t('reg.account.title'),
    path: '/registry/account',
    section: 'account',
    status: o.status ?? 200,
    body: html`<h1>${c.t('reg.account.title')}</h1>
<dl class="facts">
<dt>${c.t('reg.field.displayName')}</dt><dd dir="auto">${u.displayName}</dd>
<dt>${c.t('reg.field.email')}</dt><dd>${u.email}</dd>
<dt>${c.t('reg.account.role')}</dt><dd>${term(c.lang, 'role', u.role)}</dd>
<dt>${c.t('reg.field.organisation')}</dt><dd>${org ? html`<a href="${c.href('/organisation')}" dir="auto">${org.name}</a>` : c.t('reg.account.noorg')}</dd>
<dt>${c.t('reg.account.lang')}</dt><dd lang="${u.lang}">${LANG_NAMES[u.lang]}</dd>
</dl>
${org ? '' : html`<p>${c.t('reg.account.join')}</p>`}
<h2 id="password">${c.t('reg.password.title')}</h2>
${changed ? notice(c.t('reg.password.done')) : ''}
${errorSummary(c.lang, errors, labels)}
<form method="post" action="${c.href('/account/password')}" class="stack" novalidate>${c.csrf}
<input type="hidden" name="username" value="${u.email}" autocomplete="username">
${field(c.lang, errors, { name: 'currentPassword', label: labels.currentPassword, type: 'password', autocomplete: 'current-password', required: true })}
${field(c.lang, errors, { name: 'newPassword', label: labels.newPassword, type: 'password', autocomplete: 'new-password', required: true, hint: c.t('reg.hint.password', { min: PASSWORD_MIN }) })}
<p><button type="submit">${c.t('reg.password.submit')}</button></p>
</form>`,
  });
}

/**
 * Changes the signed-in user's password (the library: a wrong current password counts as a failed
 * sign-in of the account's email, so guesses here meet the same limit; success ends the user's
 * other sessions, this one stays).
 */
export async function changePasswordAction(c: Ctx, b: Body): Promise<FastifyReply> {
  if (!c.actor || !c.visitor.token) throw new PontisError('unauthenticated', 'sign in first');
  try {
    await changePassword(
      c.db,
      c.actor,
      { currentPassword: str(b, 'currentPassword'), newPassword: str(b, 'newPassword') },
      {
        sessionToken: c.visitor.token,
        limits: c.o.limits,
        ...(c.o.argon2 ? { argon2: c.o.argon2 } : {}),
      },
    );
  } catch (e) {
    if (e instanceof PontisError && e.code === 'invalid_input') {
      const f = e.location.field?.split('.')[0];
      let msg: [string, string];
      if (f === 'currentPassword') msg = ['currentPassword', c.t('reg.err.currentPassword')];
      else if (f === 'newPassword' && /current one/.test(e.message))
        msg = ['newPassword', c.t('reg.err.password.same')];
      else {
        const [, text] = accountFieldError(c, e);
        msg = ['newPassword', text];
      }
      return accountPage(c, { errors: new Map([msg]), status: 400 });
    }
    throw e;
  }
  return redirect(c, c.href('/account?password=changed#password'));
}
