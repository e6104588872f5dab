/**
 * Text normalisation for the SDG tagger's lexical model, in the six UN languages. A text becomes a
 * list of index terms, each with the stretch of text it came from (shown to authors as evidence).
 *
 * - Chinese (Han script): no spaces between words, so overlapping character bigrams (a run of one
 *   character gives that character). 小学教育 → 小学, 学教, 教育.
 * - Arabic: diacritics (tashkeel) and tatweel removed; alef forms أ إ آ ٱ → ا, ى → ي, ة → ه,
 *   ؤ → و, ئ → ي; then light stemming in the manner of Larkey's "light10": the article and
 *   conjunction prefixes (وال، بال، كال، فال، لل، ال، و) and common suffixes (ها، ان، ات، ون، ين، يه، ه، ي)
 *   are removed while at least two letters remain.
 * - Latin and Cyrillic scripts: lower case, diacritics removed, a simple plural ending removed, then
 *   a final y written i, the word cut to its first `PREFIX` letters (a crude stemmer that works about as well
 *   for the suffixing inflection of English, French, Spanish and Russian: energy, énergies, energía → energi).
 *   Words shorter than three letters and stop words are dropped.
 */

/** Letters kept of a Latin or Cyrillic word (chosen on the tuning split, see docs/sdg-tagging.md). */
export const PREFIX = 6;

const FUNCTION_WORDS: Record<'en' | 'fr' | 'es', Set<string>> = {
  en: new Set('the of and to in is for with that on are by this from be as an'.split(' ')),
  fr: new Set('le la les des et du de un une est pour dans au aux sur que qui par en'.split(' ')),
  es: new Set('el la los las y de del en que para un una con por es se al'.split(' ')),
};

/**
 * The language of a text, among the six UN languages: by script (Han → zh, Arabic → ar,
 * Cyrillic → ru), else by counting English, French and Spanish function words (ties: en).
 */
export function guessLang(text: string): 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es' {
  let han = 0;
  let arabic = 0;
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text) {
    if (/\p{Script=Han}/u.test(ch)) han++;
    else if (/\p{Script=Arabic}/u.test(ch)) arabic++;
    else if (/\p{Script=Cyrillic}/u.test(ch)) cyrillic++;
    else if (/\p{Script=Latin}/u.test(ch)) latin++;
  }
  // A Chinese character carries about as much as a Latin word of five letters.
  const best = Math.max(han * 5, arabic, cyrillic, latin);
  if (best === 0) return 'en';
  if (best === han * 5) return 'zh';
  if (best === arabic) return 'ar';
  if (best === cyrillic) return 'ru';
  const count = { en: 0, fr: 0, es: 0 };
  for (const m of text.toLowerCase().matchAll(/\p{L}+/gu)) {
    for (const l of ['en', 'fr', 'es'] as const) if (FUNCTION_WORDS[l].has(m[0])) count[l]++;
  }
  if (count.fr > count.en && count.fr >= count.es) return 'fr';
  if (count.es > count.en && count.es > count.fr) return 'es';
  return 'en';
}

export interface Term {
  term: string;
  /** The text the term came from (a word, or two Chinese characters). */
  surface: string;
  /** Where `surface` starts in the NFKC form of the text. */
  start: number;
}

// Function words of en, fr, es, ru that the goal titles share (cut to PREFIX letters when used).
const STOP = new Set(
  (
    'the and for with from that this these those their they them its all are was were been has have had not but ' +
    'which who whom such also into than then other more most very can may will would should could about over ' +
    'between through including include includes within where when while there here our your his her per each ' +
    'les des une dans par pour sur avec que qui aux est sont ses leur leurs ces cette tous toutes tout plus ' +
    'entre afin ainsi dont notamment compris autres los las del con por para una que sus entre como mas todos ' +
    'todas otros otras sobre incluidos particular esta este estos hacia sin ' +
    'для и в на с по из к от что как это его их все всех том также числе или при том этом'
  ).split(' '),
);

const HAN = /\p{Script=Han}/u;
const ARABIC = /\p{Script=Arabic}/u;
const RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+/gu;

const AR_PREFIXES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
const AR_SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'];

export function normaliseArabic(w: string): string {
  return w
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي');
}

export function stemArabic(word: string): string {
  let w = normaliseArabic(word);
  if (w.length > 3 && w.startsWith('و')) w = w.slice(1);
  for (const p of AR_PREFIXES) {
    if (w.startsWith(p) && w.length - p.length >= 2) {
      w = w.slice(p.length);
      break;
    }
  }
  for (const s of AR_SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 2) w = w.slice(0, -s.length);
  }
  return w;
}

export function stemWord(word: string, prefix = PREFIX): string | null {
  let w = word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  if (w.length < 3 || /^\p{N}+$/u.test(w) || STOP.has(w)) return null;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.length > 3 && /[sx]$/.test(w) && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('y')) w = w.slice(0, -1) + 'i';
  return w.slice(0, prefix);
}

/** The index terms of a text (taken from its NFKC form), in order. */
export function terms(text: string, prefix = PREFIX): Term[] {
  const out: Term[] = [];
  for (const m of text.normalize('NFKC').matchAll(RUN)) {
    const run = m[0];
    if (HAN.test(run[0]!)) {
      const chars = [...run];
      if (chars.length === 1) out.push({ term: run, surface: run, start: m.index });
      let at = m.index;
      for (let i = 0; i + 1 < chars.length; i++) {
        const bi = chars[i]! + chars[i + 1]!;
        out.push({ term: bi, surface: bi, start: at });
        at += chars[i]!.length;
      }
    } else if (ARABIC.test(run)) {
      const s = stemArabic(run);
      if (s.length >= 2) out.push({ term: `ar:${s}`, surface: run, start: m.index });
    } else {
      const s = stemWord(run, prefix);
      if (s) out.push({ term: s, surface: run, start: m.index });
    }
  }
  return out;
}
