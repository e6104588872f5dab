/**
 * A parser and plain-text matcher for the Scopus advanced-search syntax the Aurora Universities
 * Network SDG queries are written in (data/registry/aurora_queries_by_line.csv).
 *
 * Supported: `TITLE-ABS-KEY(...)` and other field codes (the field is kept in the AST and ignored
 * when matching plain text: a record's text is one field), `OR`, `AND`, `AND NOT`, implicit AND
 * between juxtaposed operands, `W/n` (within n words, either order), `PRE/n` (first precedes second
 * by at most n words), `"loose phrases"`, `{exact phrases}`, `*` (any number of letters) and `?`
 * (one letter) wildcards, parentheses. Operators are case-insensitive.
 *
 * Precedence is the classic Scopus order, the one in force when the Aurora queries were written
 * (and documented by Scopus up to 2025): OR binds tightest, then W/n and PRE/n, then AND, then
 * AND NOT; operators of one level associate left to right. So `a OR b W/3 c AND d AND NOT e OR f`
 * reads `(((a OR b) W/3 c) AND d) AND NOT (e OR f)`. As in Scopus, the operands of a proximity
 * operator must be words, phrases, OR-groups of those, or other proximity expressions; an AND
 * inside a proximity operand is an error.
 *
 * Matching (see `TextIndex`): the text is split into words (runs of letters, digits and combining
 * marks; everything else, hyphens and apostrophes included, separates words), lower-cased, with
 * diacritics removed. A query word without wildcards also matches its simple English plural or
 * singular (`policy` ~ `policies`, `sea` ~ `seas`), standing in for Scopus's automatic plural
 * matching in loose phrases; `{exact}` phrases do not. `W/n` allows at most n words between its two
 * operands (`W/0` = adjacent) and requires them to cover different words; a chain `a W/3 b W/3 c` is
 * evaluated left to right, the span of `a W/3 b` running from its first to its last word.
 */
import { PontisError } from '../core/errors.ts';

/** One word of a term or phrase: literal text, or a wildcard pattern. */
export interface WordPattern {
  /** The word as written (lower-cased, diacritics removed), wildcards kept. */
  text: string;
  /** True when the word contains `*` or `?`. */
  wildcard: boolean;
}

export type QueryNode =
  | {
      type: 'words';
      /** One word = a term; several = a phrase (the source split at punctuation, as Scopus does). */
      words: WordPattern[];
      /** `loose` = "…" or a bare word (plural variants match); `exact` = {…}. */
      mode: 'loose' | 'exact';
      /** 1-based column of the term in the query. */
      position: number;
    }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'andNot'; left: QueryNode; right: QueryNode }
  | { type: 'near'; n: number; ordered: boolean; left: QueryNode; right: QueryNode }
  | { type: 'field'; field: string; child: QueryNode };

type Tok =
  | { kind: 'lparen'; pos: number }
  | { kind: 'rparen'; pos: number }
  | { kind: 'field'; pos: number; field: string }
  | { kind: 'and' | 'or' | 'not'; pos: number }
  | { kind: 'near'; pos: number; n: number; ordered: boolean; raw: string }
  | { kind: 'phrase'; pos: number; text: string; exact: boolean }
  | { kind: 'word'; pos: number; text: string };

/** Field codes are upper-case words joined by hyphens, directly followed by `(`. */
const FIELD = /^[A-Z]+(?:-[A-Z]+)*$/;
const NEAR = /^(w|pre)\/(\d{1,3})$/i;
const MAX_NEAR = 255;

function fail(position: number, message: string): PontisError {
  return new PontisError(
    'invalid_input',
    `query, column ${position}: ${message}`,
    { field: 'query' },
    { position },
  );
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const pos = i + 1;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(') {
      out.push({ kind: 'lparen', pos });
      i++;
    } else if (c === ')') {
      out.push({ kind: 'rparen', pos });
      i++;
    } else if (c === '"' || c === '{') {
      const close = c === '"' ? '"' : '}';
      const end = src.indexOf(close, i + 1);
      if (end < 0)
        throw fail(pos, `unterminated ${c === '"' ? 'phrase: no closing "' : 'exact phrase: no closing }'}`);
      out.push({ kind: 'phrase', pos, text: src.slice(i + 1, end), exact: c === '{' });
      i = end + 1;
    } else if (c === '}') {
      throw fail(pos, 'unexpected }');
    } else {
      let j = i;
      while (j < src.length && !/[\s()"{}]/u.test(src[j]!)) j++;
      const word = src.slice(i, j);
      i = j;
      const up = word.toUpperCase();
      const near = NEAR.exec(word);
      if (src[j] === '(' && FIELD.test(word)) out.push({ kind: 'field', pos, field: word });
      else if (up === 'AND') out.push({ kind: 'and', pos });
      else if (up === 'OR') out.push({ kind: 'or', pos });
      else if (up === 'NOT') out.push({ kind: 'not', pos });
      else if (near) {
        const n = Number(near[2]);
        if (n > MAX_NEAR) throw fail(pos, `${word}: the distance must be 0–${MAX_NEAR}`);
        out.push({ kind: 'near', pos, n, ordered: near[1]!.toLowerCase() === 'pre', raw: word });
      } else out.push({ kind: 'word', pos, text: word });
    }
  }
  return out;
}

/** Lower-case, compatibility-normalise and strip diacritics (combining marks). */
export function foldCase(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const WORD_CHARS = /[\p{L}\p{N}\p{M}]+/gu;
const PATTERN_CHARS = /[\p{L}\p{N}\p{M}*?]+/gu;

function toWords(text: string, pos: number, what: string): WordPattern[] {
  const words: WordPattern[] = [];
  for (const m of text.matchAll(PATTERN_CHARS)) {
    const w = foldCase(m[0]);
    if (!w) continue;
    const wildcard = /[*?]/.test(w);
    if (wildcard && !/[^*?]/.test(w))
      throw fail(pos, `${what} "${text}": a wildcard needs at least one letter`);
    words.push({ text: w, wildcard });
  }
  if (words.length === 0) throw fail(pos, `${what} ${JSON.stringify(text)} has no words`);
  return words;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly length: number,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private endPos(): number {
    return this.length + 1;
  }

  parse(): QueryNode {
    if (this.toks.length === 0) throw fail(1, 'empty query');
    const node = this.andNot();
    const t = this.peek();
    if (t) throw fail(t.pos, t.kind === 'rparen' ? 'unbalanced )' : `unexpected ${describe(t)}`);
    return node;
  }

  /** Lowest level: a AND NOT b AND NOT c = (a AND NOT b) AND NOT c. */
  private andNot(): QueryNode {
    let left = this.and();
    for (;;) {
      const t = this.peek();
      const u = this.toks[this.i + 1];
      if (t?.kind !== 'and' || u?.kind !== 'not') return left;
      this.i += 2;
      left = { type: 'andNot', left, right: this.and() };
    }
  }

  private startsOperand(t: Tok | undefined): boolean {
    return (
      t !== undefined &&
      (t.kind === 'lparen' || t.kind === 'field' || t.kind === 'phrase' || t.kind === 'word')
    );
  }

  private and(): QueryNode {
    const children = [this.near()];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'and' && this.toks[this.i + 1]?.kind !== 'not') {
        this.i++;
        children.push(this.near());
      } else if (this.startsOperand(t)) {
        children.push(this.near()); // juxtaposition = AND
      } else break;
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private near(): QueryNode {
    const startTok = this.peek();
    let left = this.or();
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'near') return left;
      this.i++;
      const rightTok = this.peek();
      const right = this.or();
      if (!proximityOperand(left)) {
        throw fail(
          startTok?.pos ?? t.pos,
          `the left operand of ${t.raw} must be words, phrases or an OR-group of them`,
        );
      }
      if (!proximityOperand(right)) {
        throw fail(
          rightTok?.pos ?? t.pos,
          `the right operand of ${t.raw} must be words, phrases or an OR-group of them`,
        );
      }
      left = { type: 'near', n: t.n, ordered: t.ordered, left, right };
    }
  }

  private or(): QueryNode {
    const children = [this.primary()];
    while (this.peek()?.kind === 'or') {
      this.i++;
      children.push(this.primary());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  private primary(): QueryNode {
    const t = this.peek();
    if (!t) throw fail(this.endPos(), 'the query ends where a term, phrase or ( was expected');
    switch (t.kind) {
      case 'lparen': {
        this.i++;
        if (this.peek()?.kind === 'rparen') throw fail(t.pos, 'empty parentheses');
        const inner = this.andNot();
        const close = this.peek();
        if (close?.kind !== 'rparen') {
          throw fail(close ? close.pos : this.endPos(), `the ( at column ${t.pos} is not closed`);
        }
        this.i++;
        return inner;
      }
      case 'field': {
        this.i++;
        const open = this.peek()!; // the lexer only makes a field token when ( follows
        this.i++;
        if (this.peek()?.kind === 'rparen') throw fail(open.pos, `empty ${t.field}()`);
        const inner = this.andNot();
        const close = this.peek();
        if (close?.kind !== 'rparen') {
          throw fail(
            close ? close.pos : this.endPos(),
            `the ( of ${t.field} at column ${open.pos} is not closed`,
          );
        }
        this.i++;
        return { type: 'field', field: t.field, child: inner };
      }
      case 'phrase':
        this.i++;
        return {
          type: 'words',
          words: toWords(t.text, t.pos, 'phrase'),
          mode: t.exact ? 'exact' : 'loose',
          position: t.pos,
        };
      case 'word':
        this.i++;
        return { type: 'words', words: toWords(t.text, t.pos, 'term'), mode: 'loose', position: t.pos };
      case 'not':
        throw fail(t.pos, 'NOT must follow AND (Scopus has AND NOT, not a bare NOT)');
      default:
        throw fail(t.pos, `expected a term, phrase or ( but found ${describe(t)}`);
    }
  }
}

function describe(t: Tok): string {
  switch (t.kind) {
    case 'lparen':
      return '(';
    case 'rparen':
      return ')';
    case 'near':
      return t.raw;
    case 'and':
    case 'or':
    case 'not':
      return t.kind.toUpperCase();
    case 'field':
      return t.field;
    case 'phrase':
      return `phrase "${t.text}"`;
    case 'word':
      return `"${t.text}"`;
  }
}

function proximityOperand(n: QueryNode): boolean {
  if (n.type === 'words' || n.type === 'near') return true;
  if (n.type === 'or') return n.children.every(proximityOperand);
  return false;
}

/** Parses a query; throws a PontisError (code `invalid_input`, `details.position`) when malformed. */
export function parseQuery(src: string): QueryNode {
  return new Parser(lex(src), src.length).parse();
}

/** Writes an AST back in Scopus syntax with full parentheses (for tests and debugging). */
export function formatQuery(n: QueryNode): string {
  switch (n.type) {
    case 'words': {
      const body = n.words.map((w) => w.text).join(' ');
      return n.mode === 'exact' ? `{${body}}` : `"${body}"`;
    }
    case 'or':
      return `(${n.children.map(formatQuery).join(' OR ')})`;
    case 'and':
      return `(${n.children.map(formatQuery).join(' AND ')})`;
    case 'andNot':
      return `(${formatQuery(n.left)} AND NOT ${formatQuery(n.right)})`;
    case 'near':
      return `(${formatQuery(n.left)} ${n.ordered ? 'PRE' : 'W'}/${n.n} ${formatQuery(n.right)})`;
    case 'field':
      return `${n.field}(${formatQuery(n.child)})`;
  }
}

/** Simple English singular: policies → policy, classes → class, seas → sea; others unchanged. */
export function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && /(?:ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

/** A text split into words once, for matching any number of queries against it. */
export class TextIndex {
  /** Folded words, in order. */
  readonly words: string[] = [];
  /** [start, end) of each word in the original text. */
  readonly offsets: Array<[number, number]> = [];
  private readonly byWord = new Map<string, number[]>();
  private readonly bySingular = new Map<string, number[]>();
  private readonly patternCache = new Map<string, number[]>();
  private sorted: string[] | undefined;

  constructor(readonly text: string) {
    for (const m of text.matchAll(WORD_CHARS)) {
      const w = foldCase(m[0]);
      if (!w) continue;
      const at = this.words.length;
      this.words.push(w);
      this.offsets.push([m.index, m.index + m[0].length]);
      push(this.byWord, w, at);
      push(this.bySingular, singular(w), at);
    }
  }

  /** Positions of the words matching one query word. */
  positions(p: WordPattern, exact: boolean): number[] {
    const key = p.wildcard ? p.text : `${exact ? '=' : '~'}${p.text}`;
    const hit = this.patternCache.get(key);
    if (hit) return hit;
    let out: number[];
    if (p.wildcard) {
      out = [];
      const stem = p.text.slice(0, p.text.search(/[*?]/));
      const re = wildcardRegex(p.text);
      // Only words starting with the part before the first wildcard can match: a range of the sorted vocabulary.
      this.sorted ??= [...this.byWord.keys()].sort();
      const v = this.sorted;
      let lo = 0;
      let hi = v.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v[mid]! < stem) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < v.length && v[i]!.startsWith(stem); i++) {
        if (re === null || re.test(v[i]!)) out.push(...this.byWord.get(v[i]!)!);
      }
      out.sort((a, b) => a - b);
    } else if (exact) {
      out = this.byWord.get(p.text) ?? [];
    } else {
      out = this.bySingular.get(singular(p.text)) ?? [];
    }
    this.patternCache.set(key, out);
    return out;
  }

  /** The original text of words first..last. */
  slice(first: number, last: number): string {
    return this.text.slice(this.offsets[first]![0], this.offsets[last]![1]);
  }
}

const regexCache = new Map<string, RegExp | null>();

/** The regular expression of a wildcard word, or null when it is a plain prefix (`educat*`). */
function wildcardRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    const first = pattern.search(/[*?]/);
    if (first === pattern.length - 1 && pattern.endsWith('*')) re = null;
    else {
      const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
      re = new RegExp(`^${body}$`, 'u');
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** A matched stretch of text: first and last word (inclusive). */
type Span = readonly [number, number];

function spans(n: QueryNode, t: TextIndex): Span[] {
  switch (n.type) {
    case 'words': {
      const exact = n.mode === 'exact';
      const first = t.positions(n.words[0]!, exact);
      if (first.length === 0) return [];
      if (n.words.length === 1) return first.map((p) => [p, p] as const);
      const rest = n.words.slice(1).map((w) => new Set(t.positions(w, exact)));
      const out: Span[] = [];
      for (const p of first) if (rest.every((s, k) => s.has(p + k + 1))) out.push([p, p + rest.length]);
      return out;
    }
    case 'or':
      return n.children.flatMap((c) => spans(c, t));
    case 'near': {
      const ls = spans(n.left, t);
      if (ls.length === 0) return [];
      const rs = spans(n.right, t);
      const out: Span[] = [];
      const seen = new Set<string>();
      for (const a of ls) {
        for (const b of rs) {
          let gap: number;
          if (a[1] < b[0]) gap = b[0] - a[1] - 1;
          else if (!n.ordered && b[1] < a[0]) gap = a[0] - b[1] - 1;
          else continue;
          if (gap > n.n) continue;
          const s: Span = [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
          const k = `${s[0]},${s[1]}`;
          if (!seen.has(k)) {
            seen.add(k);
            out.push(s);
          }
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** Whether the query matches, and the stretches of text that made it match (for evidence). */
export interface QueryMatch {
  matched: boolean;
  /** The matched words and phrases as they are written in the text, in text order, without repeats. */
  evidence: string[];
}

function evaluate(n: QueryNode, t: TextIndex, found: Span[]): boolean {
  switch (n.type) {
    case 'words':
    case 'near': {
      const s = spans(n, t);
      found.push(...s);
      return s.length > 0;
    }
    case 'or': {
      let any = false;
      for (const c of n.children) if (evaluate(c, t, found)) any = true;
      return any;
    }
    case 'and': {
      const mine: Span[] = [];
      for (const c of n.children) if (!evaluate(c, t, mine)) return false;
      found.push(...mine);
      return true;
    }
    case 'andNot': {
      const mine: Span[] = [];
      if (!evaluate(n.left, t, mine)) return false;
      if (evaluate(n.right, t, [])) return false;
      found.push(...mine);
      return true;
    }
    case 'field':
      return evaluate(n.child, t, found);
  }
}

/** Matches a parsed query against a text (a string, or a TextIndex to reuse across queries). */
export function matchQuery(query: QueryNode, text: string | TextIndex): QueryMatch {
  const t = typeof text === 'string' ? new TextIndex(text) : text;
  const found: Span[] = [];
  const matched = evaluate(query, t, found);
  if (!matched) return { matched, evidence: [] };
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const evidence: string[] = [];
  const seen = new Set<string>();
  for (const [a, b] of found) {
    const s = t.slice(a, b);
    const k = s.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      evidence.push(s);
    }
  }
  return { matched, evidence };
}
