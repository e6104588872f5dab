/**
 * The page shell shared by every page: language and direction, skip link, header with the main
 * navigation and the language switcher (links to the same page in the other five languages, each
 * named in itself), the account link (or, on registry pages, who is signed in), the main landmark
 * and the footer. One small stylesheet, cached for a year
 * under a content hash; no script.
 *
 * The "Registry" item and the account link appear only where the site serves the registry: the
 * registry's own pages say so (`registry: true`); the observatory's pages are rendered inside
 * `withLayout({ registry })` by the web plugin, which knows whether the registry's routes exist.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { type Html, html } from './html.ts';
import { dir, LANG_NAMES, LANGS, type Lang, t } from './i18n.ts';
import { CSS_URL } from './static.ts';

export interface PageOptions {
  lang: Lang;
  title: string;
  /** The page's address after the language prefix, with its query string ('/country/KEN'). */
  path: string;
  body: Html;
  /** Which main navigation item is current. */
  nav?: 'home' | 'indicators' | 'compare' | 'index' | 'methodology' | 'registry';
  /** The account box in the header (registry pages: who is signed in); default a link to the account page. */
  account?: Html;
  /** Extra class on <body> (e.g. 'print-profile'). */
  bodyClass?: string;
  /**
   * Whether the site serves the registry (its navigation item and the account link); default: the
   * enclosing `withLayout` scope's, else false (a site without a registry links to no 404).
   */
  registry?: boolean;
}

/** What the shell knows about the site while a request's page is built. */
export interface LayoutScope {
  registry: boolean;
}

const scope = new AsyncLocalStorage<LayoutScope>();

/** Runs `fn` (which renders pages) with the site's layout settings. */
export function withLayout<T>(s: LayoutScope, fn: () => T): T {
  return scope.run(s, fn);
}

const NAV = [
  ['home', '/', 'nav.home'],
  ['indicators', '/indicators', 'nav.indicators'],
  ['compare', '/compare', 'nav.compare'],
  ['index', '/index-explorer', 'nav.index'],
  ['methodology', '/methodology', 'nav.methodology'],
  ['registry', '/registry', 'nav.registry'],
] as const;

export function page(o: PageOptions): string {
  const { lang } = o;
  const registry = o.registry ?? scope.getStore()?.registry ?? false;
  const nav = NAV.filter(([id]) => registry || id !== 'registry').map(
    ([id, href, key]) =>
      html`<li><a href="/${lang}${href}"${o.nav === id ? html` aria-current="page"` : ''}>${t(lang, key)}</a></li>`,
  );
  const langs = LANGS.map((l) =>
    l === lang
      ? html`<li><a href="/${l}${o.path}" lang="${l}" hreflang="${l}" aria-current="true">${LANG_NAMES[l]}</a></li>`
      : html`<li><a href="/${l}${o.path}" lang="${l}" hreflang="${l}">${LANG_NAMES[l]}</a></li>`,
  );
  const alternates = LANGS.filter((l) => l !== lang).map(
    (l) => html`<link rel="alternate" hreflang="${l}" href="/${l}${o.path}">`,
  );
  return `<!doctype html>${html`<html lang="${lang}" dir="${dir(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — ${t(lang, 'site.name')}</title>
<link rel="stylesheet" href="${CSS_URL}">
${alternates}
</head>
<body${o.bodyClass ? html` class="${o.bodyClass}"` : ''}>
<a class="skip" href="#main">${t(lang, 'skip')}</a>
<header class="site">
<p class="brand"><a href="/${lang}/">${t(lang, 'site.name')}</a> <span>${t(lang, 'site.tagline')}</span></p>
<nav class="site-nav" aria-label="${t(lang, 'nav.label')}"><ul>${nav}</ul></nav>
<nav aria-label="${t(lang, 'lang.label')}" class="site-nav langs"><ul>${langs}</ul></nav>
${o.account ?? (registry ? html`<p class="account"><a href="/${lang}/registry/account">${t(lang, 'nav.account')}</a></p>` : '')}
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site"><p>${t(lang, 'footer.data')}</p><p>${t(lang, 'footer.resolutions')}</p></footer>
</body>
</html>`}`;
}
