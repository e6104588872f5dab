/**
 * Country profile /{lang}/country/{ISO3}: key indicators for the latest year against the aggregates
 * of the country's groups in that year, gender and urban/rural gaps, affordability against the 2%
 * target and progress towards the 2030 targets (ESCAP). Print-ready through the stylesheet's print
 * rules (navigation and forms hidden, tables kept whole).
 */
import type { Store } from '../../store/store.ts';
import { countryByCode, groups } from '../catalog.ts';
import { foreign, type Html, html } from '../html.ts';
import { fmtNumber, fmtShare, fmtValue, fmtYear, type Lang, type MessageKey, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { coverageText, indicatorName, sourceList, statCell } from '../present.ts';
import { AFFORDABILITY_TARGET, countryData, type GroupFigure } from './country-data.ts';
import { indexView } from './index-explorer.ts';
import { methodHref } from './methodology.ts';
import { notFoundPage } from './not-found.ts';

export type PageResult = { ok: true; html: string } | { ok: false; html: string };

const ROLE_LABEL: Record<GroupFigure['role'], MessageKey> = {
  region: 'country.region',
  income: 'country.income',
  development: 'country.development',
  special: 'country.development',
};

/** Decimals to show for an indicator's values. */
export function decimalsFor(code: string): number {
  if (/^NY\.GNP|WPP\.POP|SP\.POP|^IT\.NET\.BBND$|^IT\.CEL\.SETS$/.test(code)) return 0;
  if (/GNI$|GD\.ZS|RSDV/.test(code)) return 2;
  return 1;
}

export async function countryPage(store: Store, lang: Lang, code: string): Promise<PageResult> {
  const country = /^[A-Za-z]{3}$/.test(code) ? await countryByCode(store, lang, code) : undefined;
  if (!country) {
    return {
      ok: false,
      html: notFoundPage(lang, t(lang, 'notfound.country', { code }), `/country/${encodeURIComponent(code)}`),
    };
  }
  const iso = country.geo;
  const name = country.name ?? iso;
  const d = await countryData(store, iso);
  const names = new Map((await groups(store, lang)).map((g) => [g.code, g.name ?? g.code]));
  const gname = (g: string) => names.get(g) ?? g;
  const roles = ['region', 'income', 'development'] as const;
  const y = (n: number) => fmtYear(lang, n);

  const keyRows = d.key.map((k) => {
    const dec = decimalsFor(k.code);
    const cells = roles.map((role) => {
      const figs = k.groups.filter(
        (g) => g.role === role || (role === 'development' && g.role === 'special'),
      );
      if (figs.length === 0) return html`<td>—</td>`;
      return html`<td>${figs.map(
        (g, i) =>
          html`${i > 0 ? html`<br>` : ''}${gname(g.group)}: ${
            g.result ? statCell(lang, g.result, (v) => fmtNumber(lang, v.value, dec)) : t(lang, 'nodata')
          }`,
      )}</td>`;
    });
    return html`<tr><th scope="row"><a href="/${lang}/indicator/${encodeURIComponent(k.code)}?geo=${iso}">${indicatorName(lang, k.code, k.nameEn)}</a></th>
<td class="num" data-code="${k.code}">${fmtNumber(lang, k.value, dec)}</td><td class="num">${y(k.year)}</td>${cells}</tr>`;
  });

  const groupList = d.groupsNow.map((g) => html`<li>${gname(g)}</li>`);

  const gender = d.gender
    ? html`<div class="scroll"><table><caption>${t(lang, 'country.gender.caption')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.year')}</th><th scope="col" class="num">${t(lang, 'col.men')} (%)</th><th scope="col" class="num">${t(lang, 'col.women')} (%)</th><th scope="col" class="num">${t(lang, 'col.gap')}</th></tr></thead>
<tbody><tr><th scope="row">${y(d.gender.year)}</th><td class="num">${fmtNumber(lang, d.gender.value.male, 1)}</td><td class="num">${fmtNumber(lang, d.gender.value.female, 1)}</td><td class="num">${fmtShare(lang, d.gender.value.gap, 1)}</td></tr></tbody></table></div>
<p class="meta">${t(lang, 'home.gg.def')} <a href="${methodHref(lang, '3.6')}">${t(lang, 'method.link')}</a></p>`
    : html`<p>${t(lang, 'country.gender.none')}</p>`;

  const area = d.area
    ? html`<div class="scroll"><table><caption>${t(lang, 'country.area')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.year')}</th><th scope="col" class="num">${t(lang, 'col.value')}</th><th scope="col" class="num">${t(lang, 'col.gap')}</th></tr></thead>
<tbody><tr><th scope="row">${y(d.area.year)}</th><td class="num">${fmtNumber(lang, d.area.urban, 1)} / ${fmtNumber(lang, d.area.rural, 1)}</td><td class="num">${fmtShare(lang, d.area.gap, 1)}</td></tr></tbody></table></div>`
    : html`<p>${t(lang, 'country.area.none')}</p>`;

  const affordRows = d.afford.map((a) => {
    const meets = a.value < AFFORDABILITY_TARGET;
    const g = a.group;
    return html`<tr><th scope="row">${indicatorName(lang, a.code, null)}</th>
<td class="num">${fmtNumber(lang, a.value, 2)}%</td><td class="num">${y(a.year)}</td>
<td>${meets ? t(lang, 'country.afford.meets') : t(lang, 'country.afford.misses')}</td>
<td>${g ? html`${gname(g.group)}: ${statCell(lang, g.result, (v) => `${fmtNumber(lang, v.median, 2)}%`)} (${coverageText(lang, g.result.coverage)})` : '—'}</td></tr>`;
  });
  const afford = d.afford.length
    ? html`<div class="scroll"><table><caption>${t(lang, 'country.afford.caption')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th><th scope="col" class="num">${t(lang, 'col.value')}</th><th scope="col" class="num">${t(lang, 'col.year')}</th><th scope="col">${t(lang, 'col.status')}</th><th scope="col">${t(lang, 'country.income')}</th></tr></thead>
<tbody>${affordRows}</tbody></table></div>
<p class="meta"><a href="${methodHref(lang, '3.7')}">${t(lang, 'method.link')}</a></p>`
    : html`<p>${t(lang, 'nodata')}</p>`;

  const progressRows = d.progress.flatMap((p) =>
    p.items.map((it) => {
      const dec = decimalsFor(p.indicator);
      return html`<tr><th scope="row">${indicatorName(lang, p.indicator, null)}</th>
<td class="num">${fmtValue(lang, it.target.target)} (${y(it.target.year)})</td>
<td class="num">${fmtNumber(lang, it.current.baseline.value, dec)} (${y(it.current.baseline.year)})</td>
<td class="num">${fmtNumber(lang, it.anticipated.latest.value, dec)} (${y(it.anticipated.latest.year)})</td>
<td class="num">${fmtNumber(lang, it.anticipated.projected, dec)}</td>
<td>${t(lang, `progress.${it.anticipated.classification}`)}</td></tr>`;
    }),
  );
  const prog = progressRows.length
    ? html`<div class="scroll"><table><caption>${t(lang, 'country.progress.caption', { name })}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th><th scope="col" class="num">${t(lang, 'country.progress.target')}</th><th scope="col" class="num">${t(lang, 'country.progress.baseline')}</th><th scope="col" class="num">${t(lang, 'country.progress.latest')}</th><th scope="col" class="num">${t(lang, 'country.progress.projected')}</th><th scope="col">${t(lang, 'country.progress.class')}</th></tr></thead>
<tbody>${progressRows}</tbody></table></div>
<p class="meta"><a href="${methodHref(lang, '3.9')}">${t(lang, 'method.link')}</a></p>`
    : html`<p>${t(lang, 'country.progress.none')}</p>`;

  const idx = await indexView();
  const unit = idx.result.units.indexOf(iso);
  const interval = idx.intervals.get(iso);
  const indexSection =
    unit >= 0
      ? html`<div class="scroll"><table id="index-ranks"><caption>${t(lang, 'country.index.caption', { name })}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th><th scope="col" class="num">${t(lang, 'col.rank')}</th><th scope="col" class="num">${t(lang, 'col.interval')}</th><th scope="col" class="num">${t(lang, 'col.score')}</th></tr></thead>
<tbody><tr><th scope="row"><a href="/${lang}/index-explorer">${foreign(idx.name, 'en', lang)}</a></th>
<td class="num">${fmtValue(lang, idx.result.ranks[unit] as number)} / ${fmtValue(lang, idx.result.units.length)}</td>
<td class="num">${interval ? `${fmtValue(lang, interval.q05)}–${fmtValue(lang, interval.q95)}` : '—'}</td>
<td class="num">${fmtNumber(lang, idx.result.scores[unit] as number, 1)}</td></tr></tbody></table></div>
<p class="meta"><a href="${methodHref(lang, '4.11')}">${t(lang, 'method.link')}</a></p>`
      : html`<p>${t(lang, 'country.index.none')}</p>`;

  const body: Html = html`<h1>${t(lang, 'country.title', { name })}</h1>
<p class="meta">ISO 3166: ${iso} · M49: ${country.m49 ?? '—'} · ${t(lang, 'country.print')}</p>
<h2>${t(lang, 'country.groups', { year: y(d.year) })}</h2>
<ul>${groupList}</ul>
<h2 id="key">${t(lang, 'country.key')}</h2>
<div class="scroll"><table id="key-indicators"><caption>${t(lang, 'country.key.caption', { name })}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th><th scope="col" class="num">${t(lang, 'country.latest')}</th><th scope="col" class="num">${t(lang, 'col.year')}</th>${roles.map((r) => html`<th scope="col">${t(lang, ROLE_LABEL[r])}</th>`)}</tr></thead>
<tbody>${keyRows}</tbody></table></div>
<p class="meta"><a href="${methodHref(lang, '3.2')}">${t(lang, 'method.link')}</a></p>
<h2 id="gender">${t(lang, 'country.gender')}</h2>
${gender}
<h2 id="area">${t(lang, 'country.area')}</h2>
${area}
<h2 id="afford">${t(lang, 'country.afford')}</h2>
${afford}
<h2 id="progress">${t(lang, 'country.progress')}</h2>
${prog}
<h2 id="index">${t(lang, 'country.index')}</h2>
${indexSection}
<h2 id="sources">${t(lang, 'sources')}</h2>
${sourceList(lang, d.sources)}`;
  return {
    ok: true,
    html: page({ lang, title: t(lang, 'country.title', { name }), path: `/country/${iso}`, body }),
  };
}
