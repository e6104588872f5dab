/**
 * SDG tagger: suggests the Sustainable Development Goals a registry record addresses, from its
 * text, with the words that led to each suggestion (the author confirms or drops them; nothing is
 * tagged without the author). Method, evaluation and limits: docs/sdg-tagging.md.
 *
 * Three kinds of evidence per goal, each scaled to 0–1:
 * - `aurora`: the Aurora Universities Network queries (v5.0.3, CC BY 4.0) matched as Scopus would,
 *   by line: how many of the goal's query lines match (two or more count fully). `auroraTags` is
 *   this alone, the published query set as the baseline.
 * - `terms`: the same queries read as a word list: the distinct terms and phrases of a goal's
 *   queries found anywhere in the text, each weighted by how specific it is to the goal (a term that
 *   the queries of five goals use weighs a fifth), summed and squashed, 1 − e^(−sum/τ).
 * - `official`: similarity (TF-IDF cosine) between the text and the goal's official UN title, short
 *   name, target and indicator titles in all six UN languages (data/sdg_names.csv), relative to
 *   the most similar goal. This is what works for texts in Arabic, Chinese, French, Russian and
 *   Spanish, where the English queries find nothing.
 * The score is a weighted sum of the three; a goal is suggested when its score reaches the
 * threshold. Weights, τ and the threshold were chosen on the tuning split only (src/registry/sdg-eval.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Lang } from '../core/indicator.ts';
import { fromRoot } from '../core/paths.ts';
import { matchQuery, parseQuery, type QueryNode, TextIndex } from './scopus-query.ts';
import { guessLang, PREFIX, type Term, terms } from './sdg-text.ts';

export const GOALS = Array.from({ length: 17 }, (_, i) => i + 1);

const DATA = fromRoot('data');

export interface AuroraLine {
  sdg: number;
  target: string;
  query: string;
  ast: QueryNode;
}

function readCsv(name: string): Array<Record<string, string>> {
  return parse(readFileSync(join(DATA, name)), { columns: true, bom: true, skip_empty_lines: true });
}

let auroraLines: AuroraLine[] | undefined;
/** The 378 Aurora query lines, parsed (data/registry/aurora_queries_by_line.csv). */
export function loadAurora(): AuroraLine[] {
  auroraLines ??= readCsv('registry/aurora_queries_by_line.csv').map((r) => ({
    sdg: Number(r.sdg),
    target: r.target!,
    query: r.query!,
    ast: parseQuery(r.query!),
  }));
  return auroraLines;
}

/** Per goal: the query lines that matched and the text they matched. */
export interface AuroraHit {
  sdg: number;
  lines: number;
  evidence: string[];
}

function auroraHits(t: TextIndex): Map<number, AuroraHit> {
  const hits = new Map<number, AuroraHit>();
  for (const line of loadAurora()) {
    const m = matchQuery(line.ast, t);
    if (!m.matched) continue;
    let h = hits.get(line.sdg);
    if (!h) {
      h = { sdg: line.sdg, lines: 0, evidence: [] };
      hits.set(line.sdg, h);
    }
    h.lines++;
    for (const e of m.evidence)
      if (!h.evidence.some((x) => x.toLowerCase() === e.toLowerCase())) h.evidence.push(e);
  }
  return hits;
}

/** The baseline: the goals whose published Aurora query (any line) matches the text, ascending. */
export function auroraTags(text: string): number[] {
  return [...auroraHits(new TextIndex(text)).keys()].sort((a, b) => a - b);
}

// ---- Aurora queries as a weighted term list ---------------------------------------------------

interface LexTerm {
  node: QueryNode;
  /** Goals whose queries use this term or phrase. */
  goals: Set<number>;
}

/** The words and phrases of a query outside AND NOT exclusions. */
function positiveTerms(n: QueryNode, out: QueryNode[]): void {
  switch (n.type) {
    case 'words':
      out.push(n);
      break;
    case 'or':
    case 'and':
      for (const c of n.children) positiveTerms(c, out);
      break;
    case 'near':
      positiveTerms(n.left, out);
      positiveTerms(n.right, out);
      break;
    case 'andNot':
      positiveTerms(n.left, out);
      break;
    case 'field':
      positiveTerms(n.child, out);
  }
}

let termList: LexTerm[] | undefined;
function auroraTermList(): LexTerm[] {
  if (termList) return termList;
  const byKey = new Map<string, LexTerm>();
  for (const line of loadAurora()) {
    const found: QueryNode[] = [];
    positiveTerms(line.ast, found);
    for (const node of found) {
      if (node.type !== 'words') continue;
      const key = node.words.map((w) => w.text).join(' ');
      let e = byKey.get(key);
      if (!e) {
        e = { node, goals: new Set() };
        byKey.set(key, e);
      }
      e.goals.add(line.sdg);
    }
  }
  termList = [...byKey.values()];
  return termList;
}

interface TermHit {
  /** Sum over matched terms of 1 / (number of goals using the term). */
  weight: number;
  evidence: string[];
}

function termHits(t: TextIndex): Map<number, TermHit> {
  const out = new Map<number, TermHit>();
  for (const e of auroraTermList()) {
    const m = matchQuery(e.node, t);
    if (!m.matched) continue;
    for (const g of e.goals) {
      let h = out.get(g);
      if (!h) {
        h = { weight: 0, evidence: [] };
        out.set(g, h);
      }
      h.weight += 1 / e.goals.size;
      for (const s of m.evidence)
        if (!h.evidence.some((x) => x.toLowerCase() === s.toLowerCase())) h.evidence.push(s);
    }
  }
  return out;
}

// ---- Official SDG titles, six languages ---------------------------------------------------------

interface OfficialModel {
  idf: Map<string, number>;
  /** Per goal: term → weight (tf-idf), and the vector norm. */
  goals: Array<{ w: Map<string, number>; norm: number }>;
}

let official: OfficialModel | undefined;
function officialModel(): OfficialModel {
  if (official) return official;
  const tf = GOALS.map(() => new Map<string, number>());
  const add = (code: string, title: string) => {
    const g = Number(code.split('.')[0]);
    const m = tf[g - 1];
    if (!m) return;
    for (const { term } of terms(title, PREFIX)) m.set(term, (m.get(term) ?? 0) + 1);
  };
  for (const r of readCsv('sdg_names.csv')) add(r.code!, r.title!);
  for (const r of readCsv('sdg_goal_short_names.csv')) add(r.code!, r.short_title!);
  const df = new Map<string, number>();
  for (const m of tf) for (const k of m.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const n = GOALS.length;
  const idf = new Map<string, number>();
  for (const [k, d] of df) idf.set(k, Math.log(n / d));
  const goals = tf.map((m) => {
    const w = new Map<string, number>();
    let ss = 0;
    for (const [k, f] of m) {
      const v = (1 + Math.log(f)) * idf.get(k)!;
      if (v > 0) {
        w.set(k, v);
        ss += v * v;
      }
    }
    return { w, norm: Math.sqrt(ss) };
  });
  official = { idf, goals };
  return official;
}

interface OfficialHit {
  cosine: number;
  evidence: string[];
}

function officialHits(text: string): OfficialHit[] {
  const model = officialModel();
  const nfkc = text.normalize('NFKC');
  const tf = new Map<string, number>();
  const found = terms(text, PREFIX).filter((t) => model.idf.has(t.term));
  for (const { term } of found) tf.set(term, (tf.get(term) ?? 0) + 1);
  const q = new Map<string, number>();
  let qss = 0;
  for (const [k, f] of tf) {
    const v = (1 + Math.log(f)) * model.idf.get(k)!;
    if (v > 0) {
      q.set(k, v);
      qss += v * v;
    }
  }
  const qn = Math.sqrt(qss);
  return model.goals.map((g) => {
    if (qn === 0) return { cosine: 0, evidence: [] };
    let dot = 0;
    for (const [k, v] of q) dot += v * (g.w.get(k) ?? 0);
    return { cosine: dot / (qn * g.norm), evidence: officialEvidence(nfkc, found, q, g.w) };
  });
}

/**
 * The words behind a goal's similarity, strongest first, at most five. Overlapping Chinese bigrams
 * that all match are shown as the one stretch of text they cover (小学 + 学教 + 教育 → 小学教育).
 */
function officialEvidence(
  nfkc: string,
  found: Term[],
  q: Map<string, number>,
  w: Map<string, number>,
): string[] {
  const pieces: Array<{ start: number; end: number; weight: number; text?: string }> = [];
  const seenTerm = new Set<string>();
  for (const t of found) {
    const d = w.get(t.term);
    if (!d) continue;
    const weight = q.get(t.term)! * d;
    const end = t.start + t.surface.length;
    const last = pieces[pieces.length - 1];
    if (/\p{Script=Han}/u.test(t.surface) && last && last.text === undefined && t.start < last.end) {
      last.end = end;
      if (!seenTerm.has(t.term)) last.weight += weight;
    } else if (/\p{Script=Han}/u.test(t.surface)) {
      pieces.push({ start: t.start, end, weight: seenTerm.has(t.term) ? 0 : weight });
    } else if (!seenTerm.has(t.term)) {
      pieces.push({ start: t.start, end, weight, text: t.surface });
    }
    seenTerm.add(t.term);
  }
  const out: Array<[string, number]> = [];
  for (const p of pieces) {
    const s = p.text ?? nfkc.slice(p.start, p.end);
    const prev = out.find((x) => x[0] === s);
    if (prev) prev[1] = Math.max(prev[1], p.weight);
    else out.push([s, p.weight]);
  }
  return out
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([s]) => s);
}

// ---- Combination ----------------------------------------------------------------------------------

/** The evidence of one (text, goal) pair, each part scaled to 0–1 (see the module comment). */
export interface GoalFeatures {
  sdg: number;
  /** Aurora query lines of the goal that matched. */
  auroraLines: number;
  /** Sum of the specificity weights of the goal's Aurora terms found in the text. */
  termWeight: number;
  /** TF-IDF cosine with the goal's official titles. */
  cosine: number;
  /** cosine divided by the highest cosine over the 17 goals (0 when the text shares no term). */
  cosineRel: number;
  auroraEvidence: string[];
  termEvidence: string[];
  officialEvidence: string[];
}

/** The evidence for all 17 goals (the slow part; scoring from it is arithmetic). */
export function goalFeatures(text: string): GoalFeatures[] {
  const t = new TextIndex(text);
  const a = auroraHits(t);
  const th = termHits(t);
  const o = officialHits(text);
  const maxCos = Math.max(0, ...o.map((x) => x.cosine));
  return GOALS.map((g) => {
    const oh = o[g - 1]!;
    return {
      sdg: g,
      auroraLines: a.get(g)?.lines ?? 0,
      termWeight: th.get(g)?.weight ?? 0,
      cosine: oh.cosine,
      cosineRel: maxCos > 0 ? oh.cosine / maxCos : 0,
      auroraEvidence: a.get(g)?.evidence ?? [],
      termEvidence: th.get(g)?.evidence ?? [],
      officialEvidence: oh.evidence,
    };
  });
}

export interface TaggerParams {
  /** Weight of the Aurora line matches (min(lines, 2) / 2). */
  wAurora: number;
  /** Weight of the Aurora term list, 1 − e^(−termWeight / tau). */
  wTerms: number;
  tau: number;
  /** Weight of the official-title similarity (cosineRel, counted only when cosine ≥ minCosine). */
  wOfficial: number;
  minCosine: number;
  /** A goal is suggested when its score reaches this. */
  threshold: number;
}

/**
 * For English texts. Chosen on the tuning split by `tune` in src/registry/sdg-eval.ts; the test
 * checks that tuning still picks these (rerun: npx tsx scripts/eval-sdg-tagger.ts).
 */
export const TAGGER_PARAMS: TaggerParams = {
  wAurora: 0.5,
  wTerms: 0.25,
  tau: 4,
  wOfficial: 0.25,
  minCosine: 0,
  threshold: 0.25,
};

/**
 * For texts in the other five languages, where the English Aurora queries cannot match: the official
 * titles alone, with the weight and threshold tuned the same way on the (English) tuning split with
 * the query evidence left out.
 */
export const OFFICIAL_ONLY_PARAMS: TaggerParams = {
  wAurora: 0,
  wTerms: 0,
  tau: 0.5,
  wOfficial: 0.5,
  minCosine: 0,
  threshold: 0.25,
};

export function scoreGoal(f: GoalFeatures, p: TaggerParams = TAGGER_PARAMS): number {
  const a = Math.min(f.auroraLines, 2) / 2;
  const t = 1 - Math.exp(-f.termWeight / p.tau);
  const o = f.cosine >= p.minCosine ? f.cosineRel : 0;
  return p.wAurora * a + p.wTerms * t + p.wOfficial * o;
}

export interface SdgSuggestion {
  sdg: number;
  /** Higher = stronger evidence; suggestions have score ≥ the threshold. */
  score: number;
  /** The words and phrases of the text that support the goal, strongest kinds first. */
  evidence: string[];
}

export interface SuggestOptions {
  /** Return every goal with any evidence, not only those reaching the threshold. */
  all?: boolean;
  /** At most this many suggestions (default 17). */
  limit?: number;
  /** The text's language; guessed from its script and function words when absent. */
  lang?: Lang;
  /** Overrides the parameters chosen by language. */
  params?: TaggerParams;
}

/** Suggested SDGs for a text (any of the six UN languages), best first. */
export function suggestSdgs(text: string, opts: SuggestOptions = {}): SdgSuggestion[] {
  const lang = opts.lang ?? guessLang(text);
  const p = opts.params ?? (lang === 'en' ? TAGGER_PARAMS : OFFICIAL_ONLY_PARAMS);
  const out: SdgSuggestion[] = [];
  for (const f of goalFeatures(text)) {
    const score = scoreGoal(f, p);
    if (score <= 0 || (!opts.all && score < p.threshold)) continue;
    const evidence: string[] = [];
    for (const e of [...f.auroraEvidence, ...f.termEvidence, ...f.officialEvidence]) {
      if (!evidence.some((x) => x.toLowerCase() === e.toLowerCase())) evidence.push(e);
    }
    out.push({ sdg: f.sdg, score: Math.round(score * 1000) / 1000, evidence: evidence.slice(0, 12) });
  }
  out.sort((a, b) => b.score - a.score || a.sdg - b.sdg);
  return out.slice(0, opts.limit ?? 17);
}
