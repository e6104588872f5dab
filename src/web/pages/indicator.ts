/**
 * Indicator explorer /{lang}/indicator/{CODE}?geo=KEN,IND&from=2010&to=2022&sex=F&view=chart|table|map
 * The state lives in the address (a plain GET form); the chart, table and map tabs are links.
 * Every view has a text summary and the equivalent data table; the data download is a CSV with
 * metadata and a citation line. Also the list of indicators (/{lang}/indicators).
 */
import type { IndicatorRow } from '../../store/queries.ts';
import type { SourceRef } from '../../store/sources.ts';
import type { Store } from '../../store/store.ts';
import { indicatorByCode, indicators, sdgTitle } from '../catalog.ts';
import { lineChart, PALETTE } from '../charts/line.ts';
import { breaks, classOf, worldMap } from '../charts/map.ts';
import { foreign, type Html, html } from '../html.ts';
import { fmtDate, fmtNumber, fmtValue, fmtYear, type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { indicatorName, indicatorNameText, sourceList } from '../present.ts';
import { decimalsFor } from './country.ts';
import { type ExplorerSeries, explorerData, mapData } from './explorer-data.ts';
import { AREAS, type ExplorerState, queryOf, readState, SEXES, VIEWS } from './explorer-state.ts';
import { methodHref } from './methodology.ts';
import { notFoundPage } from './not-found.ts';

type Query = Record<string, string | string[] | undefined>;
export type IndicatorResult = { ok: true; html: string } | { ok: false; html: string };

function defaultsFor(ind: IndicatorRow): { geo: string[]; from: number; to: number } {
  const to = Math.min(ind.last_year ?? 2023, new Date().getUTCFullYear());
  const from = Math.max(ind.first_year ?? to - 15, to - 15);
  const counts = ind.unit === 'number' || ind.unit === 'persons';
  return { geo: counts ? ['KEN', 'IND', 'BRA'] : ['DEVELOPED', 'DEVELOPING', 'LDC'], from, to };
}

async function findIndicator(store: Store, code: string): Promise<IndicatorRow | undefined> {
  const ind = await indicatorByCode(store, code);
  // Breakdown aliases (IT.NET.USER.FE.ZS) are shown under their base indicator.
  if (ind?.breakdown_of) return indicatorByCode(store, ind.breakdown_of);
  return ind;
}

function citationText(lang: Lang, name: string, sources: readonly SourceRef[], url: string): string {
  const src = [
    ...new Set(sources.map((s) => `${s.source ?? s.file}${s.vintage ? ` (${s.vintage})` : ''}`)),
  ].join('; ');
  return `Pontis, “${name}”. ${src}. ${url} (${fmtDate(lang, new Date().toISOString())}).`;
}

/** The same citation on the page, each part isolated so that it reads right in Arabic too. */
function citation(lang: Lang, name: string, sources: readonly SourceRef[], url: string): Html {
  const src = [
    ...new Set(sources.map((s) => `${s.source ?? s.file}${s.vintage ? ` (${s.vintage})` : ''}`)),
  ].join('; ');
  return html`Pontis, “<bdi>${name}</bdi>”. ${foreign(src, 'en', lang)}. <bdi dir="ltr">${url}</bdi> (${fmtDate(lang, new Date().toISOString())}).`;
}

function summary(lang: Lang, name: string, series: ExplorerSeries[], dec: number): string {
  const parts = series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const a = s.points[0]!;
      const b = s.points[s.points.length - 1]!;
      return t(lang, 'summary.part', {
        geo: s.label,
        v0: fmtNumber(lang, a.value, dec),
        y0: fmtYear(lang, a.year),
        v1: fmtNumber(lang, b.value, dec),
        y1: fmtYear(lang, b.year),
      });
    });
  if (parts.length === 0) return t(lang, 'explorer.nodata');
  return t(lang, 'summary.line', {
    name,
    parts: parts.join(lang === 'zh' ? '；' : lang === 'ar' ? '؛ ' : '; '),
  });
}

function dataTable(lang: Lang, s: ExplorerState, name: string, series: ExplorerSeries[], dec: number): Html {
  const years = [...new Set(series.flatMap((x) => x.points.map((p) => p.year)))].sort((a, b) => a - b);
  if (years.length === 0) return html``;
  const idx = series.map((x) => new Map(x.points.map((p) => [p.year, p.value])));
  const rows = years.map(
    (y) =>
      html`<tr><th scope="row">${fmtYear(lang, y)}</th>${idx.map((m) => {
        const v = m.get(y);
        return html`<td class="num">${v === undefined ? '—' : fmtNumber(lang, v, dec)}</td>`;
      })}</tr>`,
  );
  return html`<div class="scroll"><table id="data-table"><caption>${t(lang, 'explorer.table.caption', { name, from: fmtYear(lang, s.from), to: fmtYear(lang, s.to) })}</caption>
<thead><tr><th scope="col">${t(lang, 'col.year')}</th>${series.map((x) => html`<th scope="col" class="num">${x.label}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export async function indicatorPage(
  store: Store,
  lang: Lang,
  code: string,
  q: Query,
): Promise<IndicatorResult> {
  const ind = await findIndicator(store, code);
  if (!ind) {
    return {
      ok: false,
      html: notFoundPage(
        lang,
        t(lang, 'notfound.indicator', { code }),
        `/indicator/${encodeURIComponent(code)}`,
      ),
    };
  }
  const s = readState(q, defaultsFor(ind));
  const name = indicatorNameText(lang, ind.code, ind.name);
  const nameHtml = indicatorName(lang, ind.code, ind.name);
  const dec = ind.unit === 'number' || ind.unit === 'persons' ? 0 : decimalsFor(ind.code);
  const data = await explorerData(store, lang, ind, s);
  const base = `/${lang}/indicator/${encodeURIComponent(ind.code)}`;
  const problems = [
    ...s.invalid.map((i) => `${i.param}=${i.value}`),
    ...data.unknown.map((g) => `geo=${g}`),
    ...data.unsupported.map((g) => `geo=${g}`),
  ];

  const tabs = VIEWS.map(
    (v) =>
      html`<li><a href="${base}?${queryOf(s, v)}"${v === s.view ? html` aria-current="page"` : ''}>${t(lang, `view.${v}`)}</a></li>`,
  );
  const form = html`<form method="get" action="${base}" class="controls" aria-labelledby="form-h">
<h2 id="form-h" class="sr-only">${t(lang, 'explorer.form')}</h2>
<div><label for="geo">${t(lang, 'explorer.geo')}</label>
<input id="geo" name="geo" type="text" value="${s.geo.join(',')}" aria-describedby="geo-hint" size="28" autocomplete="off">
<span id="geo-hint" class="hint">${t(lang, 'explorer.geo.hint')}</span></div>
<div><label for="from">${t(lang, 'explorer.from')}</label><input id="from" name="from" type="number" min="1960" max="2030" value="${s.from}"></div>
<div><label for="to">${t(lang, 'explorer.to')}</label><input id="to" name="to" type="number" min="1960" max="2030" value="${s.to}"></div>
<div><label for="sex">${t(lang, 'explorer.sex')}</label><select id="sex" name="sex">${SEXES.map(
    (x) => html`<option value="${x}"${x === s.sex ? ' selected' : ''}>${t(lang, `sex.${x}`)}</option>`,
  )}</select></div>
<div><label for="area">${t(lang, 'explorer.area')}</label><select id="area" name="area">${AREAS.map(
    (x) => html`<option value="${x}"${x === s.area ? ' selected' : ''}>${t(lang, `area.${x}`)}</option>`,
  )}</select></div>
<div><label for="view">${t(lang, 'explorer.view')}</label><select id="view" name="view">${VIEWS.map(
    (v) => html`<option value="${v}"${v === s.view ? ' selected' : ''}>${t(lang, `view.${v}`)}</option>`,
  )}</select></div>
<div><button type="submit">${t(lang, 'explorer.submit')}</button></div>
</form>`;

  const withData = data.series.filter((x) => x.points.length > 0);
  const text = summary(lang, name, data.series, dec);
  let view: Html;
  if (s.view === 'map') {
    const md = await mapData(store, lang, ind, s);
    if (!md || md.rows.length === 0) view = html`<p>${t(lang, 'explorer.nodata')}</p>`;
    else {
      const b = breaks(md.rows.map((r) => r.value));
      const classes = new Map(
        md.rows.map((r) => [
          r.m49,
          { cls: classOf(r.value, b), label: `${r.name}: ${fmtNumber(lang, r.value, dec)}` },
        ]),
      );
      const sorted = [...md.rows].sort((a, b2) => b2.value - a.value);
      const hi = sorted[0]!;
      const lo = sorted[sorted.length - 1]!;
      const mapText = t(lang, 'summary.map', {
        year: fmtYear(lang, md.year),
        n: md.rows.length,
        maxGeo: hi.name,
        max: fmtNumber(lang, hi.value, dec),
        minGeo: lo.name,
        min: fmtNumber(lang, lo.value, dec),
      });
      const edges = [
        Math.min(...md.rows.map((r) => r.value)),
        ...b,
        Math.max(...md.rows.map((r) => r.value)),
      ];
      const legend = edges
        .slice(0, -1)
        .map(
          (e, i) =>
            html`<li><span class="q${i}"></span>${fmtNumber(lang, e, dec)} – ${fmtNumber(lang, edges[i + 1]!, dec)}</li>`,
        );
      const caption = t(lang, 'explorer.map.caption', { name, year: fmtYear(lang, md.year) });
      view = html`<figure><figcaption>${caption}</figcaption>
${worldMap({ id: 'map', title: caption, desc: mapText, classes })}
<ul class="legend" aria-label="${t(lang, 'explorer.map.legend')}">${legend}<li><span class="qn"></span>${t(lang, 'explorer.map.nodata')}</li></ul>
</figure>
<h2>${t(lang, 'explorer.summary')}</h2><p id="summary">${mapText}</p>
<div class="scroll"><table id="data-table"><caption>${caption}</caption>
<thead><tr><th scope="col">${t(lang, 'col.country')}</th><th scope="col" class="num">${t(lang, 'col.value')}</th></tr></thead>
<tbody>${sorted.map((r) => html`<tr><th scope="row"><a href="/${lang}/country/${r.geo}">${r.name}</a></th><td class="num">${fmtNumber(lang, r.value, dec)}</td></tr>`)}</tbody></table></div>`;
    }
  } else if (withData.length === 0) {
    view = html`<p>${t(lang, 'explorer.nodata')}</p>`;
  } else if (s.view === 'table') {
    view = html`<h2>${t(lang, 'explorer.summary')}</h2><p id="summary">${text}</p>${dataTable(lang, s, name, data.series, dec)}`;
  } else {
    const chart = lineChart({
      id: 'chart',
      title: name,
      desc: `${t(lang, 'chart.desc', { name })} ${text}`,
      series: withData.map((x) => ({ label: x.label, points: x.points })),
      formatValue: (v) => fmtValue(lang, v, 2),
      formatYear: (y) => fmtYear(lang, y),
    });
    const key = withData.map((x, i) => html`<li><span class="s${i % PALETTE.length}"></span>${x.label}</li>`);
    view = html`<figure>${chart}<ul class="legend">${key}</ul></figure>
<h2>${t(lang, 'explorer.summary')}</h2><p id="summary">${text}</p>
${dataTable(lang, s, name, data.series, dec)}`;
  }

  const sdg = ind.sdg.map((c) => {
    const title = sdgTitle('indicator', c, lang);
    return html`<li>${t(lang, 'col.sdg')} ${c}${title ? html`: ${title}` : ''}</li>`;
  });
  const url = `${base}?${queryOf(s)}`;
  const body = html`<h1>${nameHtml}</h1>
<p class="meta">${ind.code}${ind.unit ? html` · ${t(lang, 'explorer.unit')}: ${foreign(ind.unit, 'en', lang)}` : ''}</p>
${sdg.length ? html`<ul class="meta">${sdg}</ul>` : ''}
${form}
${problems.length ? html`<p role="status" class="withheld">${t(lang, 'explorer.invalid', { what: problems.join(', ') })}</p>` : ''}
<ul class="tabs">${tabs}</ul>
${view}
<div class="actions"><a href="${base}/data.csv?${queryOf(s)}" download>${t(lang, 'explorer.download')}</a> <a href="${methodHref(lang, '3.2')}">${t(lang, 'method.link')}</a></div>
<h2>${t(lang, 'explorer.cite')}</h2>
<p class="cite">${citation(lang, name, data.sources, url)}</p>
<h2>${t(lang, 'sources')}</h2>
${sourceList(lang, data.sources)}`;
  return {
    ok: true,
    html: page({
      lang,
      title: name,
      path: `/indicator/${encodeURIComponent(ind.code)}?${queryOf(s)}`,
      body,
      nav: 'indicators',
    }),
  };
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type CsvResult = { ok: true; csv: string; filename: string } | { ok: false; html: string };

/** The explorer's data as CSV: metadata lines (# ...), the citation, then one row per value. */
export async function csvDownload(store: Store, lang: Lang, code: string, q: Query): Promise<CsvResult> {
  const ind = await findIndicator(store, code);
  if (!ind) return { ok: false, html: notFoundPage(lang, t(lang, 'notfound.indicator', { code })) };
  const s = readState(q, defaultsFor(ind));
  const data = await explorerData(store, lang, ind, s);
  const name = indicatorNameText(lang, ind.code, ind.name);
  const url = `/${lang}/indicator/${encodeURIComponent(ind.code)}?${queryOf(s)}`;
  const lines = [
    `# indicator: ${ind.code} — ${ind.name ?? ''}`,
    `# unit: ${ind.unit ?? ''}`,
    `# sex: ${s.sex}; area: ${s.area}; years: ${s.from}-${s.to}`,
    `# licence: ${ind.licence ?? ''}`,
    ...data.sources.map((x) => `# source: ${x.source ?? x.file}${x.vintage ? `; vintage ${x.vintage}` : ''}`),
    `# group aggregates: see /${lang}/methodology (3.2); withheld years are left out`,
    `# citation: ${citationText('en', name, data.sources, url)}`,
    'geo,kind,name,year,value',
    ...data.series.flatMap((x) =>
      x.points.map((p) => [x.code, x.kind, x.label, p.year, p.value].map(csvCell).join(',')),
    ),
  ];
  return {
    ok: true,
    csv: `${lines.join('\n')}\n`,
    filename: `pontis-${ind.code.replace(/[^\w.-]/g, '_')}.csv`,
  };
}

export async function indicatorsPage(store: Store, lang: Lang): Promise<string> {
  const list = (await indicators(store)).filter((i) => !i.breakdown_of && i.observations > 0);
  const rows = list.map(
    (i) =>
      html`<tr><th scope="row"><a href="/${lang}/indicator/${encodeURIComponent(i.code)}">${indicatorName(lang, i.code, i.name)}</a></th>
<td>${i.code}</td><td class="num">${i.first_year === null ? '—' : `${fmtYear(lang, i.first_year)}–${fmtYear(lang, i.last_year ?? i.first_year)}`}</td>
<td>${i.sdg.map((c) => html`<abbr title="${sdgTitle('indicator', c, lang) ?? c}">${c}</abbr> `)}</td></tr>`,
  );
  const body = html`<h1>${t(lang, 'indicators.title')}</h1>
<div class="scroll"><table><caption>${t(lang, 'indicators.caption')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.indicator')}</th><th scope="col">${t(lang, 'col.code')}</th><th scope="col" class="num">${t(lang, 'indicators.years')}</th><th scope="col">${t(lang, 'col.sdg')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  return page({ lang, title: t(lang, 'indicators.title'), path: '/indicators', body, nav: 'indicators' });
}
