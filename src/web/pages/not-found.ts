/** The 404 page, in the language of the address asked for. */
import { html } from '../html.ts';
import { type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';

export function notFoundPage(lang: Lang, message: string, path = '/'): string {
  const body = html`<h1>${t(lang, 'notfound.title')}</h1>
<p>${message}</p>
<p><a href="/${lang}/">${t(lang, 'notfound.home')}</a></p>`;
  return page({ lang, title: t(lang, 'notfound.title'), path, body });
}
