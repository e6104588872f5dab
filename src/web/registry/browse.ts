/**
 * Browse and search the registry: one GET form (text, sort, and every facet as checkboxes with its
 * count), the results with their highlighted snippets (plain text from the library, escaped here,
 * highlights wrapped in <mark>), and pagination links. Works without script: "Search" submits the
 * form, and the address holds the whole state.
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { goalsOf } from '../../registry/model.ts';
import { type FacetCount, type SearchHit, type Snippet, searchRecords } from '../../registry/search.ts';
import { type Html, html } from '../html.ts';
import type { Lang } from '../i18n.ts';
import type { Ctx, Query } from './context.ts';
import { errorPage } from './errors.ts';
import { listOf, searchQueryFrom } from './query.ts';
import { type Option, str } from './ui.ts';
import { countryName, goalShort, list, regionName, shown, term } from './vocab.ts';

const PAGE_SIZE = 20;
/** Facet values shown per facet (the selected ones always are). */
const FACET_VALUES = 12;

/** Snippet text with its highlighted ranges in <mark>, every piece escaped. */
export function snippetHtml(s: Snippet): Html {
  const parts: Html[] = [];
  let at = 0;
  for (const [a, b] of s.highlights) {
    if (a < at || b > s.text.length) continue;
    parts.push(html`${s.text.slice(at, a)}<mark>${s.text.slice(a, b)}</mark>`);
    at = b;
  }
  parts.push(html`${s.text.slice(at)}`);
  return html`${parts}`;
}

function facetLabel(lang: Lang, facet: string, value: string): string {
  switch (facet) {
    case 'kind':
      return term(lang, 'kind', value);
    case 'sdg':
      return `${value}. ${goalShort(lang, Number(value))}`;
    case 'country':
      return countryName(lang, value);
    case 'region':
      return regionName(lang, value);
    case 'sector':
      return term(lang, 'sector', value);
    case 'licence':
      return value === 'open' ? term(lang, 'licence', 'open') : value;
    default:
      return value;
  }
}

function facetGroup(c: Ctx, facet: string, counts: FacetCount[], selected: Set<string>): Html {
  const shownValues = counts.filter((f, i) => i < FACET_VALUES || selected.has(f.value));
  if (shownValues.length === 0) return html``;
  return html`<fieldset class="facet"><legend>${c.t(`reg.facet.${facet as 'kind'}`)}</legend>${shownValues.map(
    (f) => {
      const id = `fc-${facet}-${f.value}`;
      return html`<div class="check"><input type="checkbox" id="${id}" name="${facet}" value="${f.value}"${selected.has(f.value) ? html` checked` : ''}><label for="${id}">${facetLabel(c.lang, facet, f.value)} <span class="count">(${f.count})</span></label></div>`;
    },
  )}</fieldset>`;
}

function hitHtml(c: Ctx, h: SearchHit): Html {
  const r = h.record;
  const facts: string[] = [term(c.lang, 'kind', r.kind)];
  if (r.countries.length > 0)
    facts.push(
      list(
        c.lang,
        r.countries.slice(0, 4).map((x) => countryName(c.lang, x)),
      ),
    );
  const goals = goalsOf(r);
  if (goals.length > 0) facts.push(c.t('reg.sdgs.short', { goals: goals.join(', ') }));
  return html`<li class="hit"><h3><a href="${c.href(`/record/${r.id}`)}">${shown(r.title, c.lang, r.originalLang)}</a></h3>
<p class="meta">${facts.join(' · ')}</p>
<p${h.snippet.lang !== c.lang ? html` lang="${h.snippet.lang}" dir="auto"` : ''}>${snippetHtml(h.snippet)}</p></li>`;
}

/** The address of another page of the same search. */
function pageHref(c: Ctx, q: Query, page: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'page' || v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return c.href(s ? `?${s}` : '');
}

export async function browsePage(c: Ctx, q: Query): Promise<FastifyReply> {
  let sq: ReturnType<typeof searchQueryFrom>;
  try {
    sq = searchQueryFrom(q, c.lang, { pageSize: PAGE_SIZE });
  } catch (e) {
    if (e instanceof PontisError) return errorPage(c, 'invalid', { parameter: e.location.field ?? 'q' });
    throw e;
  }
  const res = await searchRecords(c.db, sq);
  const sel = (k: string) => new Set(listOf(q[k]));
  const text = str(q as Record<string, unknown>, 'q');
  const pages = Math.max(1, Math.ceil(res.total / res.pageSize));
  const levels: Option[] = [{ value: '', label: c.t('reg.any') }].concat(
    Array.from({ length: 9 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
  );
  const rmin = str(q as Record<string, unknown>, 'readiness_min');
  const rmax = str(q as Record<string, unknown>, 'readiness_max');
  const sort = str(q as Record<string, unknown>, 'sort') || 'relevance';
  const levelSelect = (name: string, label: string, value: string) =>
    html`<div class="field"><label for="${name}">${label}</label><select id="${name}" name="${name}">${levels.map(
      (o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`,
    )}</select></div>`;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    for (const x of Array.isArray(v) ? v : v ? [v] : []) search.append(k, x);
  const path = `/registry${search.size > 0 ? `?${search}` : ''}`;
  const body = html`<h1>${c.t('reg.browse.title')}</h1>
<p class="lead">${c.t('reg.browse.intro')}</p>
<form method="get" action="${c.href()}" class="search" role="search" aria-label="${c.t('reg.browse.form')}">
<div class="searchbar"><div class="field"><label for="q">${c.t('reg.browse.q')}</label><input id="q" name="q" type="search" value="${text}" maxlength="200"></div>
<div class="field"><label for="sort">${c.t('reg.browse.sort')}</label><select id="sort" name="sort">${(
    ['relevance', 'date'] as const
  ).map(
    (s) => html`<option value="${s}"${s === sort ? html` selected` : ''}>${c.t(`reg.sort.${s}`)}</option>`,
  )}</select></div>
<button type="submit">${c.t('reg.browse.submit')}</button></div>
<div class="facets">
${(['kind', 'sdg', 'sector', 'country', 'region', 'licence'] as const).map((f) => facetGroup(c, f, res.facets[f], sel(f)))}
<fieldset class="facet"><legend>${c.t('reg.facet.readiness')}</legend>${levelSelect('readiness_min', c.t('reg.browse.rmin'), rmin)}${levelSelect('readiness_max', c.t('reg.browse.rmax'), rmax)}</fieldset>
</div>
<p><button type="submit">${c.t('reg.browse.apply')}</button> <a href="${c.href()}">${c.t('reg.browse.clear')}</a></p>
</form>
<h2 id="results">${c.t(res.totalIsLowerBound ? 'reg.browse.resultsAtLeast' : 'reg.browse.results', { n: res.total })}</h2>
${res.total === 0 ? html`<p>${c.t('reg.browse.none')}</p>` : html`<ol class="hits">${res.hits.map((h) => hitHtml(c, h))}</ol>`}
${
  pages > 1
    ? html`<nav aria-label="${c.t('reg.browse.pages')}"><ul class="pager">${res.page > 1 ? html`<li><a href="${pageHref(c, q, res.page - 1)}" rel="prev">${c.t('reg.browse.prev')}</a></li>` : ''}${Array.from(
        { length: Math.min(pages, 10) },
        (_, i) => i + 1,
      ).map(
        (n) =>
          html`<li><a href="${pageHref(c, q, n)}"${n === res.page ? html` aria-current="page"` : ''}>${n}</a></li>`,
      )}${res.page < pages ? html`<li><a href="${pageHref(c, q, res.page + 1)}" rel="next">${c.t('reg.browse.next')}</a></li>` : ''}</ul></nav>`
    : ''
}`;
  return c.send({ title: c.t('reg.browse.title'), path, body, section: 'browse' });
}
