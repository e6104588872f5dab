/**
 * Compare /{lang}/compare?geo=KEN,IND,LDC&year=2022: the key indicators for several countries and
 * groups side by side in one year (countries' observed values; groups' aggregates with the site's
 * aggregation rule, withheld when coverage is too low).
 */
import { aggregate } from '../../analysis/aggregate.ts';
import { PontisError } from '../../core/errors.ts';
import type { AggregateValue } from '../../stats/aggregate.ts';
import type { StatResult } from '../../stats/result.ts';
import { querySeries } from '../../store/queries.ts';
import type { Store } from '../../store/store.ts';
import { aggregationFor } from '../aggregation.ts';
import { countries, groups, indicators } from '../catalog.ts';
import { html } from '../html.ts';
import { fmtNumber, fmtYear, type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { indicatorName, statCell } from '../present.ts';
import { decimalsFor } from './country.ts';
import { KEY_INDICATORS } from './country-data.ts';
import { methodHref } from './methodology.ts';

type Query = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const DEFAULT_GEO = ['KEN', 'IND', 'BRA', 'LDC', 'DEVELOPING'];
const DEFAULT_YEAR = 2022;

export async function comparePage(store: Store, lang: Lang, q: Query): Promise<string> {
  const geoText = first(q.geo);
  const asked = geoText
    ? geoText
        .split(/[\s,;]+/)
        .map((x) => x.trim().toUpperCase())
        .filter((x) => /^[A-Z0-9_]{2,12}$/.test(x))
        .slice(0, 8)
    : DEFAULT_GEO;
  const yearNum = Number(first(q.year));
  const year = Number.isInteger(yearNum) && yearNum >= 1990 && yearNum <= 2030 ? yearNum : DEFAULT_YEAR;
  const cs = new Map((await countries(store, lang)).map((c) => [c.geo, c.name ?? c.geo]));
  const gs = new Map((await groups(store, lang)).map((g) => [g.code, g.name ?? g.code]));
  const geos = asked.filter((g) => cs.has(g) || gs.has(g));
  const countryCodes = geos.filter((g) => cs.has(g));
  const groupCodes = geos.filter((g) => gs.has(g));
  const meta = await indicators(store);

  const rows = [];
  for (const code of KEY_INDICATORS) {
    if (code === 'i271mw') continue; // a count; the per-100 figure is on the country profiles
    const ind = meta.find((i) => i.code === code);
    const values = new Map<string, number>();
    if (countryCodes.length) {
      try {
        for (const r of await querySeries(store, {
          indicator: code,
          geo: countryCodes,
          from: year,
          to: year,
        }))
          values.set(r.geo, r.value);
      } catch (e) {
        if (!(e instanceof PontisError)) throw e;
      }
    }
    const results = new Map<string, StatResult<AggregateValue>>();
    const agg = aggregationFor(code, ind?.unit ?? null);
    if (groupCodes.length && agg) {
      try {
        const rep = await aggregate(store, {
          indicator: code,
          groups: groupCodes,
          year,
          ...agg,
          skipEmpty: true,
        });
        for (const r of rep.results) results.set(r.group, r.result);
      } catch (e) {
        if (!(e instanceof PontisError)) throw e;
      }
    }
    const dec = decimalsFor(code);
    rows.push(
      html`<tr><th scope="row"><a href="/${lang}/indicator/${encodeURIComponent(code)}?geo=${geos.join(',')}">${indicatorName(lang, code, ind?.name ?? null)}</a></th>${geos.map(
        (g) => {
          if (cs.has(g)) {
            const v = values.get(g);
            return html`<td class="num">${v === undefined ? '—' : fmtNumber(lang, v, dec)}</td>`;
          }
          const r = results.get(g);
          return html`<td class="num">${r ? statCell(lang, r, (v) => fmtNumber(lang, v.value, dec)) : '—'}</td>`;
        },
      )}</tr>`,
    );
  }
  const body = html`<h1>${t(lang, 'compare.title')}</h1>
<p class="lead">${t(lang, 'compare.intro')}</p>
<form method="get" action="/${lang}/compare" class="controls">
<div><label for="geo">${t(lang, 'compare.geo')}</label><input id="geo" name="geo" type="text" size="30" value="${geos.join(',')}" aria-describedby="geo-hint">
<span id="geo-hint" class="hint">${t(lang, 'explorer.geo.hint')}</span></div>
<div><label for="year">${t(lang, 'compare.year')}</label><input id="year" name="year" type="number" min="1990" max="2030" value="${year}"></div>
<div><button type="submit">${t(lang, 'explorer.submit')}</button></div>
</form>
<div class="scroll"><table id="compare"><caption>${t(lang, 'compare.caption')} ${t(lang, 'yearof', { year: fmtYear(lang, year) })}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th>${geos.map((g) => html`<th scope="col" class="num">${cs.has(g) ? html`<a href="/${lang}/country/${g}">${cs.get(g)}</a>` : gs.get(g)}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="meta"><a href="${methodHref(lang, '3.2')}">${t(lang, 'method.link')}</a></p>`;
  return page({
    lang,
    title: t(lang, 'compare.title'),
    path: `/compare?geo=${encodeURIComponent(geos.join(','))}&year=${year}`,
    body,
    nav: 'compare',
  });
}
