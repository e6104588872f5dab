/**
 * Evaluation of the SDG tagger on the expert-labelled sample (data/registry/sdg_labelled_sample.csv):
 * the deterministic tuning / held-out split, k folds, precision / recall / F1 per SDG, the grid
 * search that chose TAGGER_PARAMS, and the tables of docs/sdg-tagging.md. Used by
 * scripts/eval-sdg-tagger.ts and test/registry/sdg-tagger.test.ts, so the doc and the code agree.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fromRoot } from '../core/paths.ts';
import {
  auroraTags,
  GOALS,
  type GoalFeatures,
  goalFeatures,
  scoreGoal,
  type TaggerParams,
} from './sdg-tagger.ts';

export interface LabelledRow {
  text: string;
  sdg: number;
  label: boolean;
}

export function loadLabelled(): LabelledRow[] {
  const rows: Array<Record<string, string>> = parse(
    readFileSync(fromRoot('data/registry/sdg_labelled_sample.csv')),
    { columns: true, bom: true, skip_empty_lines: true },
  );
  return rows.map((r) => ({ text: r.text!, sdg: Number(r.sdg), label: r.label === 'True' }));
}

/** FNV-1a, 32 bits, of the UTF-8 bytes: a stable pseudo-random order that does not depend on row order. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Assigns every row to one of k parts, stratified by (SDG, label): within a stratum, rows are taken
 * in order of the hash of their text and each goes to the part with the fewest rows of that stratum
 * so far (ties: the lowest part). Rows with the same text go to the part of the first of them, so
 * a text is never on two sides. Returns the part of each row (0…k−1).
 */
export function assignParts(rows: readonly LabelledRow[], k: number): number[] {
  const part = new Array<number>(rows.length).fill(-1);
  const byText = new Map<string, number>();
  const strata = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = `${String(r.sdg).padStart(2, '0')}:${r.label}`;
    const s = strata.get(key);
    if (s) s.push(i);
    else strata.set(key, [i]);
  });
  for (const key of [...strata.keys()].sort()) {
    const idx = strata.get(key)!;
    idx.sort(
      (a, b) => fnv1a(rows[a]!.text) - fnv1a(rows[b]!.text) || (rows[a]!.text < rows[b]!.text ? -1 : 1),
    );
    const counts = new Array<number>(k).fill(0);
    for (const i of idx) {
      let p = byText.get(rows[i]!.text);
      if (p === undefined) {
        p = counts.indexOf(Math.min(...counts));
        byText.set(rows[i]!.text, p);
      }
      part[i] = p;
      counts[p]!++;
    }
  }
  return part;
}

/** The two-way split: part 0 = tuning, part 1 = held out. */
export function split(rows: readonly LabelledRow[]): { tuning: LabelledRow[]; heldOut: LabelledRow[] } {
  const p = assignParts(rows, 2);
  return { tuning: rows.filter((_, i) => p[i] === 0), heldOut: rows.filter((_, i) => p[i] === 1) };
}

// ---- Metrics -------------------------------------------------------------------------------

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall, F1; a ratio with a zero denominator counts as 0 (as scikit-learn's default). */
export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

export interface Report {
  perSdg: Array<{ sdg: number; rows: number; positives: number } & Counts & Prf>;
  macro: Prf;
  micro: Prf;
}

/** Scores predictions against labels: per SDG over that SDG's rows, macro = mean of per-SDG figures. */
export function report(rows: readonly LabelledRow[], predicted: readonly boolean[]): Report {
  const c: Counts[] = GOALS.map(() => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const k = c[r.sdg - 1]!;
    if (predicted[i]) {
      if (r.label) k.tp++;
      else k.fp++;
    } else if (r.label) k.fn++;
    else k.tn++;
  }
  const perSdg = GOALS.map((sdg, i) => {
    const k = c[i]!;
    return { sdg, rows: k.tp + k.fp + k.fn + k.tn, positives: k.tp + k.fn, ...k, ...prf(k) };
  });
  const present = perSdg.filter((s) => s.rows > 0);
  const mean = (f: (s: Prf) => number) => present.reduce((a, s) => a + f(s), 0) / present.length;
  const total = present.reduce(
    (a, s) => ({ tp: a.tp + s.tp, fp: a.fp + s.fp, fn: a.fn + s.fn, tn: a.tn + s.tn }),
    {
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 0,
    },
  );
  return {
    perSdg,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    micro: prf(total),
  };
}

// ---- Tagger and baseline on labelled rows ---------------------------------------------------------

/** A labelled row with the evidence for its SDG and the baseline's verdict, computed once. */
export interface Featured extends LabelledRow {
  features: GoalFeatures;
  aurora: boolean;
}

export function featurise(rows: readonly LabelledRow[]): Featured[] {
  const cache = new Map<string, { f: GoalFeatures[]; a: number[] }>();
  return rows.map((r) => {
    let c = cache.get(r.text);
    if (!c) {
      c = { f: goalFeatures(r.text), a: auroraTags(r.text) };
      cache.set(r.text, c);
    }
    return { ...r, features: c.f[r.sdg - 1]!, aurora: c.a.includes(r.sdg) };
  });
}

export function predict(rows: readonly Featured[], p: TaggerParams): boolean[] {
  return rows.map((r) => scoreGoal(r.features, p) >= p.threshold);
}

const range = (from: number, to: number, step: number) =>
  Array.from(
    { length: Math.round((to - from) / step) + 1 },
    (_, i) => Math.round((from + i * step) * 1000) / 1000,
  );

/** The grid `tune` searches (small on purpose: a few hundred tuning rows). */
export const GRID = {
  wAurora: [0, 0.5, 1],
  wTerms: [0, 0.25, 0.5, 0.75, 1],
  tau: [0.5, 1, 2, 4],
  wOfficial: [0, 0.25, 0.5, 0.75, 1],
  minCosine: [0, 0.05, 0.1, 0.2],
  threshold: range(0.05, 1.5, 0.05),
};
export type Grid = typeof GRID;

/** The grid for texts not in English: the official titles only. */
export const OFFICIAL_ONLY_GRID: Grid = { ...GRID, wAurora: [0], wTerms: [0] };

export interface Tuned {
  params: TaggerParams;
  macroF1: number;
  microF1: number;
}

/**
 * Exhaustive search of a grid for the highest macro F1 on the given rows; ties go to the higher
 * micro F1, then to the first in grid order (so the result is deterministic).
 */
export function tune(rows: readonly Featured[], grid: Grid = GRID): Tuned {
  let best: Tuned | undefined;
  for (const wAurora of grid.wAurora)
    for (const wTerms of grid.wTerms)
      for (const tau of wTerms === 0 ? grid.tau.slice(0, 1) : grid.tau)
        for (const wOfficial of grid.wOfficial)
          for (const minCosine of wOfficial === 0 ? grid.minCosine.slice(0, 1) : grid.minCosine) {
            if (wAurora + wTerms + wOfficial === 0) continue;
            const base = { wAurora, wTerms, tau, wOfficial, minCosine, threshold: 0 };
            const scores = rows.map((r) => scoreGoal(r.features, base));
            for (const threshold of grid.threshold) {
              const rep = report(
                rows,
                scores.map((s) => s >= threshold),
              );
              const cand = { params: { ...base, threshold }, macroF1: rep.macro.f1, microF1: rep.micro.f1 };
              if (
                !best ||
                cand.macroF1 > best.macroF1 + 1e-12 ||
                (Math.abs(cand.macroF1 - best.macroF1) <= 1e-12 && cand.microF1 > best.microF1 + 1e-12)
              )
                best = cand;
            }
          }
  return best!;
}

// ---- The evaluation as a whole ---------------------------------------------------------------

export const FOLDS = 5;

export interface Evaluation {
  tuningRows: number;
  heldOutRows: number;
  tuned: Tuned;
  tunedOfficialOnly: Tuned;
  heldOut: { aurora: Report; tagger: Report; officialOnly: Report };
  /** k-fold: every row predicted by parameters tuned on the other folds, pooled. */
  crossValidated?: { aurora: Report; tagger: Report; officialOnly: Report; folds: number };
}

export function evaluate(opts: { crossValidate?: boolean } = {}): Evaluation {
  const rows = loadLabelled();
  const featured = featurise(rows);
  const side = assignParts(rows, 2);
  const tuning = featured.filter((_, i) => side[i] === 0);
  const held = featured.filter((_, i) => side[i] === 1);
  const tuned = tune(tuning);
  const tunedOfficialOnly = tune(tuning, OFFICIAL_ONLY_GRID);
  const ev: Evaluation = {
    tuningRows: tuning.length,
    heldOutRows: held.length,
    tuned,
    tunedOfficialOnly,
    heldOut: {
      aurora: report(
        held,
        held.map((r) => r.aurora),
      ),
      tagger: report(held, predict(held, tuned.params)),
      officialOnly: report(held, predict(held, tunedOfficialOnly.params)),
    },
  };
  if (opts.crossValidate) {
    const fold = assignParts(rows, FOLDS);
    const tagger = new Array<boolean>(rows.length);
    const official = new Array<boolean>(rows.length);
    for (let f = 0; f < FOLDS; f++) {
      const train = featured.filter((_, i) => fold[i] !== f);
      const pT = tune(train).params;
      const pO = tune(train, OFFICIAL_ONLY_GRID).params;
      featured.forEach((r, i) => {
        if (fold[i] !== f) return;
        tagger[i] = scoreGoal(r.features, pT) >= pT.threshold;
        official[i] = scoreGoal(r.features, pO) >= pO.threshold;
      });
    }
    ev.crossValidated = {
      aurora: report(
        featured,
        featured.map((r) => r.aurora),
      ),
      tagger: report(featured, tagger),
      officialOnly: report(featured, official),
      folds: FOLDS,
    };
  }
  return ev;
}

// ---- Markdown tables (docs/sdg-tagging.md holds them between markers; the test compares) ----------

const pct = (x: number) => (100 * x).toFixed(1);

function table(a: Report, t: Report, o: Report): string {
  const head =
    '| SDG | rows | true | Aurora P | Aurora R | Aurora F1 | tagger P | tagger R | tagger F1 | official-only F1 |\n' +
    '|---|---|---|---|---|---|---|---|---|---|\n';
  const body = GOALS.map((g, i) => {
    const x = a.perSdg[i]!;
    const y = t.perSdg[i]!;
    const z = o.perSdg[i]!;
    return `| ${g} | ${x.rows} | ${x.positives} | ${pct(x.precision)} | ${pct(x.recall)} | ${pct(x.f1)} | ${pct(y.precision)} | ${pct(y.recall)} | ${pct(y.f1)} | ${pct(z.f1)} |`;
  }).join('\n');
  const avg = (name: string, k: 'macro' | 'micro') =>
    `| **${name}** | ${a.perSdg.reduce((s, x) => s + x.rows, 0)} | ${a.perSdg.reduce((s, x) => s + x.positives, 0)} | ${pct(a[k].precision)} | ${pct(a[k].recall)} | ${pct(a[k].f1)} | ${pct(t[k].precision)} | ${pct(t[k].recall)} | ${pct(t[k].f1)} | ${pct(o[k].f1)} |`;
  return `${head}${body}\n${avg('macro', 'macro')}\n${avg('micro', 'micro')}`;
}

export function heldOutTable(ev: Evaluation): string {
  return table(ev.heldOut.aurora, ev.heldOut.tagger, ev.heldOut.officialOnly);
}

export function crossValidatedTable(ev: Evaluation): string {
  const cv = ev.crossValidated;
  if (!cv) throw new Error('evaluate({ crossValidate: true }) first');
  return table(cv.aurora, cv.tagger, cv.officialOnly);
}

export function paramsTable(ev: Evaluation): string {
  const row = (name: string, t: Tuned) =>
    `| ${name} | ${t.params.wAurora} | ${t.params.wTerms} | ${t.params.tau} | ${t.params.wOfficial} | ${t.params.minCosine} | ${t.params.threshold} | ${pct(t.macroF1)} |`;
  return (
    '| parameters | wAurora | wTerms | tau | wOfficial | minCosine | threshold | tuning macro F1 |\n' +
    '|---|---|---|---|---|---|---|---|\n' +
    `${row('English texts (`TAGGER_PARAMS`)', ev.tuned)}\n${row('other languages (`OFFICIAL_ONLY_PARAMS`)', ev.tunedOfficialOnly)}`
  );
}

/** The marked sections of the doc: name → generated Markdown. */
export function docSections(ev: Evaluation): Record<string, string> {
  const out: Record<string, string> = {
    split: `${ev.tuningRows} tuning rows, ${ev.heldOutRows} held-out rows.`,
    params: paramsTable(ev),
    'held-out': heldOutTable(ev),
  };
  if (ev.crossValidated) out['cross-validated'] = crossValidatedTable(ev);
  return out;
}

/** Reads `<!-- eval:NAME -->…<!-- /eval:NAME -->` sections of a Markdown text. */
export function readDocSections(md: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of md.matchAll(/<!-- eval:([\w-]+) -->\n([\s\S]*?)\n?<!-- \/eval:\1 -->/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Replaces the marked sections of a Markdown text with freshly generated ones. */
export function writeDocSections(md: string, sections: Record<string, string>): string {
  return md.replace(/<!-- eval:([\w-]+) -->\n([\s\S]*?)\n?<!-- \/eval:\1 -->/g, (all, name: string) =>
    name in sections ? `<!-- eval:${name} -->\n${sections[name]}\n<!-- /eval:${name} -->` : all,
  );
}
