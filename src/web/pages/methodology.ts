/**
 * The methodology page, rendered from docs/methodology.md (English; marked lang="en" on the other
 * language pages), with a table of contents. Other pages link to its sections by number.
 */
import { readFileSync } from 'node:fs';
import { fromRoot } from '../../core/paths.ts';
import { html, raw } from '../html.ts';
import { type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { markdown, type Rendered } from '../markdown.ts';

const FILE = fromRoot('docs/methodology.md');
let rendered: Rendered | null = null;

function doc(): Rendered {
  if (!rendered) rendered = markdown(readFileSync(FILE, 'utf8'), 1);
  return rendered;
}

/** The id of the methodology section whose heading starts with `number` ('3.11'). */
export function sectionId(number: string): string {
  const h = doc().headings.find((x) => x.text.startsWith(`${number} `));
  return h ? h.id : '';
}

/** Link target of a section, for the given language. */
export function methodHref(lang: Lang, number: string): string {
  return `/${lang}/methodology#${sectionId(number)}`;
}

export function methodologyPage(lang: Lang): string {
  const d = doc();
  const toc = d.headings
    .filter((h) => h.level === 3)
    .map((h) => html`<li><a href="#${h.id}">${h.text}</a></li>`);
  const body = html`<h1>${t(lang, 'methodology.title')}</h1>
${lang === 'en' ? '' : html`<p class="note">${t(lang, 'methodology.note')}</p>`}
<div lang="en">
<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>${toc}</ol></nav>
<div class="md">${raw(d.html)}</div>
</div>`;
  return page({ lang, title: t(lang, 'methodology.title'), path: '/methodology', body, nav: 'methodology' });
}
