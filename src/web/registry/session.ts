/** The session cookie: set, cleared, and an anonymous session started for pages with a form. */
import { createSession } from '../../registry/sessions.ts';
import type { Ctx } from './context.ts';

/** Starts an anonymous session when the visitor has none (pages with a form need a CSRF token). */
export async function ensureSession(c: Ctx): Promise<void> {
  if (c.visitor.session) return;
  const s = await createSession(c.db, null);
  setSessionCookie(c, s.token, s.expiresAt);
  c.visitor.token = s.token;
  c.visitor.session = {
    user: null,
    actor: null,
    csrfToken: s.csrfToken,
    createdAt: new Date(),
    expiresAt: s.expiresAt,
  };
}

export function setSessionCookie(c: Ctx, token: string, expiresAt: Date): void {
  c.reply.setCookie(c.o.cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: c.o.secureCookies,
    maxAge: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(c: Ctx): void {
  c.reply.clearCookie(c.o.cookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: c.o.secureCookies,
  });
}
