/**
 * How well a technology offer answers a technology need, with the reasons. Pure: it sees two
 * records (and the document frequencies of the candidate set for the text part) and returns a score
 * in [0, 1] that is the sum of six weighted factors, each shown to people with what it rests on.
 *
 * | factor      | weight | value in [0, 1]                                                              |
 * |-------------|--------|------------------------------------------------------------------------------|
 * | text        | 0.35   | cosine of the TF-IDF vectors of both texts (all their languages), each term  |
 * |             |        | stemmed by sdg-text.ts (Chinese bigrams, Arabic light stems, 6-letter stems) |
 * | sdg         | 0.20   | shared SDG goals ÷ the need's goals (the offer need not cover only those)     |
 * | sector      | 0.15   | shared sectors ÷ the need's sectors                                           |
 * | geography   | 0.10   | 1 same country; 0.75 same intermediate/sub-region; 0.5 same region; 0.6 the   |
 * |             |        | offer is global (no countries); 0 otherwise; 0.5 when the need names none     |
 * | readiness   | 0.10   | 1 when the offer is at least as ready as the need asks, 0.25 less per level  |
 * |             |        | below; 0.5 when either is unknown                                             |
 * | terms       | 0.10   | 1 when the offer is available on a term the need accepts (an open licence    |
 * |             |        | counts as open_source); 0.5 when either lists none                           |
 *
 * An offer available only on terms the need rules out is not a match at all (`compatible: false`,
 * score 0), whatever its text: "transfer on mutually agreed terms" means the need's terms bind.
 * A factor with nothing to compare (neither side tagged) contributes half its weight, so that
 * untagged records are neither rewarded nor ruled out.
 */
import { goalsOf, OPEN_LICENCES, type RegistryRecord, type TransferTerm } from './model.ts';
import { terms } from './sdg-text.ts';

export type MatchFactor = 'text' | 'sdg' | 'sector' | 'geography' | 'readiness' | 'terms';

export const MATCH_WEIGHTS: Readonly<Record<MatchFactor, number>> = {
  text: 0.35,
  sdg: 0.2,
  sector: 0.15,
  geography: 0.1,
  readiness: 0.1,
  terms: 0.1,
};

/** One factor of a match: its value, weight × value, and what it rests on (for the explanation). */
export interface FactorScore {
  factor: MatchFactor;
  value: number;
  weight: number;
  contribution: number;
  /** Machine-readable evidence the web layer turns into a sentence in the reader's language. */
  evidence: {
    shared?: (string | number)[];
    missing?: (string | number)[];
    detail?: string;
  };
}

export interface MatchScore {
  score: number;
  compatible: boolean;
  /** Factors, largest contribution first. */
  factors: FactorScore[];
}

/** The parts of a record the matcher reads. */
export type Matchable = Pick<
  RegistryRecord,
  | 'title'
  | 'summary'
  | 'sdgs'
  | 'sdgTargets'
  | 'countries'
  | 'sectors'
  | 'readiness'
  | 'licence'
  | 'transferTerms'
> & { regions?: string[] };

/** Term frequencies of a record's text over all its languages, plus surfaces for the explanation. */
export interface TextVector {
  tf: Map<string, number>;
  surface: Map<string, string>;
}

/**
 * The texts of a record in the order `textVector` reads them (every language of the title, then of
 * the summary), each with the weight of its terms. Exported for the match index, which must count
 * terms in the same order to reproduce the cosine to the last bit.
 */
export function eachText(
  r: Pick<RegistryRecord, 'title' | 'summary'>,
  fn: (text: string, weight: number) => void,
): void {
  // A title says more about what a record is than a sentence of its summary: it counts twice.
  for (const v of Object.values(r.title)) if (v) fn(v, 2);
  for (const v of Object.values(r.summary)) if (v) fn(v, 1);
}

export function textVector(r: Pick<RegistryRecord, 'title' | 'summary'>): TextVector {
  const tf = new Map<string, number>();
  const surface = new Map<string, string>();
  eachText(r, (text, w) => {
    for (const t of terms(text)) {
      tf.set(t.term, (tf.get(t.term) ?? 0) + w);
      if (!surface.has(t.term)) surface.set(t.term, t.surface.toLowerCase());
    }
  });
  return { tf, surface };
}

/** Inverse document frequencies over a set of text vectors: ln((1 + N) / (1 + df)) + 1. */
export class Idf {
  private readonly df = new Map<string, number>();
  private n = 0;
  add(v: TextVector): void {
    this.n++;
    for (const t of v.tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }
  get(term: string): number {
    return Math.log((1 + this.n) / (1 + (this.df.get(term) ?? 0))) + 1;
  }
}

/** Cosine of two TF-IDF vectors (sub-linear tf: 1 + ln tf), and the terms that weigh most in it. */
export function cosine(a: TextVector, b: TextVector, idf: Idf): { value: number; shared: string[] } {
  const w = (tf: number, t: string) => (1 + Math.log(tf)) * idf.get(t);
  let na = 0;
  let nb = 0;
  let dot = 0;
  const parts: [string, number][] = [];
  for (const [t, f] of a.tf) na += w(f, t) ** 2;
  for (const [t, f] of b.tf) {
    const wb = w(f, t);
    nb += wb ** 2;
    const fa = a.tf.get(t);
    if (fa !== undefined) {
      const p = w(fa, t) * wb;
      dot += p;
      parts.push([t, p]);
    }
  }
  if (na === 0 || nb === 0) return { value: 0, shared: [] };
  parts.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return {
    value: dot / Math.sqrt(na * nb),
    shared: parts.slice(0, 8).map(([t]) => a.surface.get(t) ?? t),
  };
}

const overlap = <T>(need: readonly T[], offer: readonly T[]) => {
  const o = new Set(offer);
  const shared = need.filter((x) => o.has(x));
  return { shared, missing: need.filter((x) => !o.has(x)) };
};

/** The transfer terms an offer is available on, with an open licence counting as open source. */
export function offeredTerms(offer: Pick<Matchable, 'licence' | 'transferTerms'>): TransferTerm[] {
  const t = new Set(offer.transferTerms);
  if (offer.licence && OPEN_LICENCES.has(offer.licence)) t.add('open_source');
  return [...t];
}

export interface ScoreInputs {
  need: Matchable;
  offer: Matchable;
  needText?: TextVector;
  offerText?: TextVector;
  /** Document frequencies over the candidate offers (default: the two records alone). */
  idf?: Idf;
}

export function scoreMatch(i: ScoreInputs): MatchScore {
  const { need, offer } = i;
  const needText = i.needText ?? textVector(need);
  const offerText = i.offerText ?? textVector(offer);
  let idf = i.idf;
  if (!idf) {
    idf = new Idf();
    idf.add(needText);
    idf.add(offerText);
  }
  const factors: FactorScore[] = [];
  const push = (factor: MatchFactor, value: number, evidence: FactorScore['evidence']) => {
    const weight = MATCH_WEIGHTS[factor];
    factors.push({ factor, value, weight, contribution: weight * value, evidence });
  };

  const text = cosine(needText, offerText, idf);
  push('text', text.value, { shared: text.shared });

  const needGoals = goalsOf(need);
  const offerGoals = goalsOf(offer);
  if (needGoals.length === 0 || offerGoals.length === 0) push('sdg', 0.5, { detail: 'untagged' });
  else {
    const o = overlap(needGoals, offerGoals);
    push('sdg', o.shared.length / needGoals.length, o);
  }

  if (need.sectors.length === 0 || offer.sectors.length === 0) push('sector', 0.5, { detail: 'untagged' });
  else {
    const o = overlap(need.sectors, offer.sectors);
    push('sector', o.shared.length / need.sectors.length, o);
  }

  push('geography', ...geography(need, offer));

  if (need.readiness === null || offer.readiness === null) push('readiness', 0.5, { detail: 'unknown' });
  else {
    const short = Math.max(0, need.readiness - offer.readiness);
    push('readiness', Math.max(0, 1 - 0.25 * short), {
      detail: short === 0 ? 'ready' : `short by ${short}`,
      shared: [need.readiness, offer.readiness],
    });
  }

  const offered = offeredTerms(offer);
  let compatible = true;
  if (need.transferTerms.length === 0 || offered.length === 0) push('terms', 0.5, { detail: 'unstated' });
  else {
    const o = overlap(need.transferTerms, offered);
    compatible = o.shared.length > 0;
    push('terms', compatible ? 1 : 0, { shared: o.shared, missing: compatible ? [] : offered });
  }

  factors.sort((a, b) => b.contribution - a.contribution || (a.factor < b.factor ? -1 : 1));
  const raw = factors.reduce((s, f) => s + f.contribution, 0);
  return { score: compatible ? Math.round(raw * 1e6) / 1e6 : 0, compatible, factors };
}

function geography(need: Matchable, offer: Matchable): [number, FactorScore['evidence']] {
  if (need.countries.length === 0) return [0.5, { detail: 'need is global' }];
  if (offer.countries.length === 0) return [0.6, { detail: 'offer is global' }];
  const same = overlap(need.countries, offer.countries);
  if (same.shared.length > 0) return [1, { shared: same.shared, detail: 'country' }];
  const nr = need.regions ?? [];
  const or = new Set(offer.regions ?? []);
  const shared = nr.filter((r) => or.has(r));
  if (shared.length === 0) return [0, { detail: 'elsewhere' }];
  // M49 regions are the five continents' codes (002 Africa, 009 Oceania, 019 Americas, 142 Asia,
  // 150 Europe); any other shared code is a sub-region or intermediate region.
  const continents = new Set(['M49_002', 'M49_009', 'M49_019', 'M49_142', 'M49_150']);
  const sub = shared.filter((r) => !continents.has(r));
  return sub.length > 0 ? [0.75, { shared: sub, detail: 'sub-region' }] : [0.5, { shared, detail: 'region' }];
}
