/**
 * Home: the headline divides the resolutions cite, recomputed live from the store with the
 * library's presets (analysis/presets.ts): 2019 mobile-broadband subscriptions per 100 people by
 * development group (A/RES/75/202 para. 16) and the 2019 gender gap in Internet use for the world
 * and the LDCs (para. 20). Each figure shows its value or the reason it is withheld, the figure the
 * resolution cites, coverage, sources with vintages and a link to its method.
 */
import { type AggregateReport, aggregate } from '../../analysis/aggregate.ts';
import { type GapReport, gap } from '../../analysis/gap.ts';
import { AGGREGATE_PRESETS, GAP_PRESETS } from '../../analysis/presets.ts';
import type { Store } from '../../store/store.ts';
import { countries, groups } from '../catalog.ts';
import { type Html, html } from '../html.ts';
import { fmtNumber, fmtShare, type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { coverageText, sourceList, statCell } from '../present.ts';
import { methodHref } from './methodology.ts';

export interface HomeData {
  broadband: AggregateReport;
  gender: GapReport[];
}

const cache = new WeakMap<Store, Promise<HomeData>>();

export const MOBILE_PRESET = AGGREGATE_PRESETS['mobile-broadband-per-100']!;
export const GENDER_PRESET = GAP_PRESETS['internet-gender-gap']!;

async function compute(store: Store): Promise<HomeData> {
  const broadband = await aggregate(store, MOBILE_PRESET.request);
  const gender: GapReport[] = [];
  for (const g of GENDER_PRESET.groups) {
    gender.push(
      await gap(store, { indicator: GENDER_PRESET.indicator, by: 'sex', group: g, year: GENDER_PRESET.year }),
    );
  }
  return { broadband, gender };
}

/** The figures, computed once per store (the data do not change while the server runs). */
export function homeData(store: Store): Promise<HomeData> {
  let p = cache.get(store);
  if (!p) {
    p = compute(store);
    p.catch(() => cache.delete(store));
    cache.set(store, p);
  }
  return p;
}

export async function homePage(store: Store, lang: Lang): Promise<string> {
  const data = await homeData(store);
  const names = new Map((await groups(store, lang)).map((g) => [g.code, g.name ?? g.code]));
  const year = MOBILE_PRESET.request.year as number;

  const mbRows = data.broadband.results.map((r) => {
    const cited = MOBILE_PRESET.published[r.group];
    return html`<tr><th scope="row">${names.get(r.group) ?? r.group}</th>
<td class="num">${statCell(lang, r.result, (v) => fmtNumber(lang, v.value, 1))}</td>
<td class="num">${cited ? fmtNumber(lang, cited.value, 0) : '—'}</td>
<td>${coverageText(lang, r.result.coverage)}</td></tr>`;
  });

  const ggRows = data.gender.map((r) => {
    const cited = GENDER_PRESET.published[r.unit.code];
    const res = r.result;
    const men = res.status === 'ok' && 'male' in res.value ? fmtNumber(lang, res.value.male, 1) : '—';
    const women = res.status === 'ok' && 'female' in res.value ? fmtNumber(lang, res.value.female, 1) : '—';
    return html`<tr><th scope="row">${names.get(r.unit.code) ?? r.unit.code}</th>
<td class="num">${statCell(lang, res, (v) => fmtShare(lang, v.gap, 1))}</td>
<td class="num">${men}</td><td class="num">${women}</td>
<td class="num">${cited ? fmtShare(lang, cited.value, 0) : '—'}</td>
<td>${coverageText(lang, res.coverage)}</td></tr>`;
  });
  const ggSources = data.gender.flatMap((g) => g.sources);

  const list = await countries(store, lang);
  const collator = new Intl.Collator(lang);
  const options = [...list]
    .sort((a, b) => collator.compare(a.name ?? a.geo, b.name ?? b.geo))
    .map((c) => html`<option value="${c.geo}">${c.name ?? c.geo}</option>`);

  const body: Html = html`<h1>${t(lang, 'home.title')}</h1>
<p class="lead">${t(lang, 'home.intro')}</p>
<section class="card" aria-labelledby="mb-h">
<h2 id="mb-h">${t(lang, 'home.mb.title')}</h2>
<p>${t(lang, 'home.mb.cites')}</p>
<div class="scroll"><table id="mobile-broadband">
<caption>${t(lang, 'home.mb.title')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.group')}</th><th scope="col" class="num">${t(lang, 'col.value')}</th><th scope="col" class="num">${t(lang, 'col.cited')}</th><th scope="col">${t(lang, 'col.coverage')}</th></tr></thead>
<tbody>${mbRows}</tbody></table></div>
<p><a href="${methodHref(lang, '3.11')}">${t(lang, 'method.link')}</a> · <a href="${methodHref(lang, '3.2')}">${t(lang, 'method')}: ${t(lang, 'col.group')}</a> · <a href="/${lang}/indicator/i271mw">${t(lang, 'home.explore')}</a></p>
<h3>${t(lang, 'sources')} ${t(lang, 'yearof', { year })}</h3>
${sourceList(lang, data.broadband.sources)}
</section>
<section class="card" aria-labelledby="gg-h">
<h2 id="gg-h">${t(lang, 'home.gg.title')}</h2>
<p>${t(lang, 'home.gg.cites')} ${t(lang, 'home.gg.def')}</p>
<div class="scroll"><table id="gender-gap">
<caption>${t(lang, 'home.gg.title')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.group')}</th><th scope="col" class="num">${t(lang, 'col.gap')}</th><th scope="col" class="num">${t(lang, 'col.men')} (%)</th><th scope="col" class="num">${t(lang, 'col.women')} (%)</th><th scope="col" class="num">${t(lang, 'col.cited')}</th><th scope="col">${t(lang, 'col.coverage')}</th></tr></thead>
<tbody>${ggRows}</tbody></table></div>
<p><a href="${methodHref(lang, '3.11')}">${t(lang, 'method.link')}</a> · <a href="${methodHref(lang, '3.6')}">${t(lang, 'method')}: ${t(lang, 'col.gap')}</a> · <a href="/${lang}/indicator/IT.NET.USER.ZS?sex=F">${t(lang, 'home.explore')}</a></p>
<h3>${t(lang, 'sources')} ${t(lang, 'yearof', { year: GENDER_PRESET.year })}</h3>
${sourceList(lang, ggSources)}
</section>
<section aria-labelledby="c-h">
<h2 id="c-h">${t(lang, 'home.countries')}</h2>
<form method="get" action="/${lang}/country" class="controls">
<div><label for="iso">${t(lang, 'home.countries.label')}</label>
<select id="iso" name="iso">${options}</select></div>
<div><button type="submit">${t(lang, 'home.countries.go')}</button></div>
</form>
<p><a href="/${lang}/indicators">${t(lang, 'nav.indicators')}</a> · <a href="/${lang}/compare">${t(lang, 'nav.compare')}</a></p>
</section>`;
  return page({ lang, title: t(lang, 'home.title'), path: '/', body, nav: 'home' });
}
