/**
 * Index explorer /{lang}/index-explorer: the ASEM Sustainable Connectivity index (recipes/asem,
 * COINr's worked example) built with the index engine: scores, ranks with their 5–95% intervals
 * from the uncertainty analysis (Monte Carlo over the recipe's alternative choices), the two
 * sub-indices, and each pillar's score and contribution to the index (contributions sum to the
 * score). Computed once per process.
 */
import { fromRoot } from '../../core/paths.ts';
import { analyse } from '../../indexer/analysis.ts';
import { loadIndex } from '../../indexer/load.ts';
import type { Matrix } from '../../indexer/matrix.ts';
import { type PipelineResult, runPipeline } from '../../indexer/pipeline.ts';
import type { RankInterval } from '../../indexer/uncertainty.ts';
import type { Store } from '../../store/store.ts';
import { countries } from '../catalog.ts';
import { foreign, html } from '../html.ts';
import { fmtNumber, fmtValue, type Lang, t } from '../i18n.ts';
import { page } from '../layout.ts';
import { methodHref } from './methodology.ts';

const RECIPE = fromRoot('recipes/asem/asem.yaml');
/** Uncertainty runs for the rank intervals (the recipe's seed; ~0.25 s on one thread). */
const RUNS = 1000;

export interface IndexView {
  name: string;
  result: PipelineResult;
  unitNames: Map<string, string>;
  intervals: Map<string, RankInterval>;
  runs: number;
  /** Level-2 aggregates (pillars) and level-3 (sub-indices), in tree order. */
  pillars: string[];
  subIndices: string[];
  nodeNames: Map<string, string>;
  /** Pillar contribution to each unit's index score: units × pillars. */
  pillarContrib: Map<string, number[]>;
}

let cached: Promise<IndexView> | null = null;

function col(m: Matrix, code: string, unit: number): number {
  const j = m.cols.indexOf(code);
  return j < 0 ? Number.NaN : (m.data[j * m.rows.length + unit] as number);
}

async function build(): Promise<IndexView> {
  const { spec, data } = loadIndex(RECIPE);
  const result = runPipeline(data, spec);
  const a = await analyse(data, spec, { runs: RUNS, noSensitivity: true, threads: 1 });
  const tree = result.tree;
  const pillars = tree.all.filter((_, i) => tree.level[i] === 2);
  const subIndices = tree.all.filter((_, i) => tree.level[i] === 3);
  const unitNames = new Map<string, string>();
  const rows = data.values.rows;
  rows.forEach((u, i) => {
    unitNames.set(u, data.names?.[i] ?? u);
  });
  // Each indicator's pillar: walk up the tree to level 2.
  const pillarOf = tree.indicators.map((_, i) => {
    let k = i;
    while (k >= 0 && tree.level[k] !== 2) k = tree.parent[k] as number;
    return k >= 0 ? pillars.indexOf(tree.all[k]!) : -1;
  });
  const pillarContrib = new Map<string, number[]>();
  const c = result.contributions;
  if (c) {
    c.rows.forEach((u, r) => {
      const sums = pillars.map(() => 0);
      c.cols.forEach((_, j) => {
        const v = c.data[j * c.rows.length + r] as number;
        const p = pillarOf[j]!;
        if (p >= 0 && Number.isFinite(v)) sums[p]! += v;
      });
      pillarContrib.set(u, sums);
    });
  }
  return {
    name: spec.name ?? 'Index',
    result,
    unitNames,
    intervals: new Map(a.intervals.map((x) => [x.unit, x])),
    runs: a.runs,
    pillars,
    subIndices,
    nodeNames: new Map(tree.nodes.map((n) => [n.code, n.name ?? n.code])),
    pillarContrib,
  };
}

export function indexView(): Promise<IndexView> {
  if (!cached) {
    cached = build();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export async function indexPage(store: Store, lang: Lang): Promise<string> {
  const v = await indexView();
  const r = v.result;
  const agg = r.stages.aggregated;
  const un = new Map((await countries(store, lang)).map((c) => [c.geo, c.name ?? c.geo]));
  const nameOf = (u: string) =>
    un.has(u) ? html`${un.get(u)!}` : foreign(v.unitNames.get(u) ?? u, 'en', lang);
  const order = [...r.units.keys()].sort((a, b) => (r.ranks[a] as number) - (r.ranks[b] as number));
  const node = (code: string) => foreign(v.nodeNames.get(code) ?? code, 'en', lang);

  const rows = order.map((i) => {
    const u = r.units[i]!;
    const iv = v.intervals.get(u);
    const row = agg.rows.indexOf(u);
    return html`<tr><td class="num">${fmtValue(lang, r.ranks[i] as number)}</td><th scope="row">${nameOf(u)}</th>
<td class="num">${fmtNumber(lang, r.scores[i] as number, 1)}</td>
<td class="num">${iv ? `${fmtValue(lang, iv.q05)}–${fmtValue(lang, iv.q95)}` : '—'}</td>
${v.subIndices.map((s) => html`<td class="num">${fmtNumber(lang, col(agg, s, row), 1)}</td>`)}</tr>`;
  });
  const breakdown = order.map((i) => {
    const u = r.units[i]!;
    const row = agg.rows.indexOf(u);
    const contrib = v.pillarContrib.get(u) ?? [];
    return html`<tr><th scope="row">${nameOf(u)}</th>${v.pillars.map(
      (p, k) =>
        html`<td class="num">${fmtNumber(lang, col(agg, p, row), 1)} <span class="meta">(${fmtNumber(lang, contrib[k] ?? Number.NaN, 1)})</span></td>`,
    )}</tr>`;
  });

  const body = html`<h1>${t(lang, 'index.title')}</h1>
<p class="lead">${t(lang, 'index.intro')}</p>
<p class="meta">${foreign(v.name, 'en', lang)} · <a href="${methodHref(lang, '4.9')}">${t(lang, 'method.link')}</a></p>
<div class="scroll"><table id="index-ranks"><caption>${t(lang, 'index.caption')}</caption>
<thead><tr><th scope="col" class="num">${t(lang, 'col.rank')}</th><th scope="col">${t(lang, 'col.country')}</th><th scope="col" class="num">${t(lang, 'col.score')}</th><th scope="col" class="num">${t(lang, 'index.interval', { runs: fmtValue(lang, v.runs) })}</th>${v.subIndices.map((s) => html`<th scope="col" class="num">${node(s)}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
<h2>${t(lang, 'index.pillars')}</h2>
<p>${t(lang, 'index.contrib')}</p>
<div class="scroll"><table id="index-pillars"><caption>${t(lang, 'index.pillars')}</caption>
<thead><tr><th scope="col">${t(lang, 'col.country')}</th>${v.pillars.map((p) => html`<th scope="col" class="num">${node(p)}</th>`)}</tr></thead>
<tbody>${breakdown}</tbody></table></div>`;
  return page({ lang, title: t(lang, 'index.title'), path: '/index-explorer', body, nav: 'index' });
}
