import { invalid, type PontisError } from '../core/errors.ts';
import type { RawObservation } from '../core/observation.ts';
import { Batcher } from './batches.ts';
import type { Json } from './json-text.ts';
import type { SourceFile } from './reader.ts';

/**
 * An incremental JSON parser for the JSON readers: text goes in chunk by chunk (`write`, then `end`)
 * and the reader's visitor decides, for every value that starts directly inside a container it has
 * descended into, what to do with it:
 *  - 'descend' (objects and arrays): report its members one by one, each with its own decision;
 *  - 'capture': parse the whole value (with JSON.parse on its text, once the tokenizer has checked
 *    it) and hand it to `visitor.value`;
 *  - 'skip': check its syntax and forget it.
 * So a reader keeps in memory only the values it captures (a World Bank row, an SDMX series, a
 * structure), never the whole document. Scalars are always captured when 'descend' is asked.
 *
 * Every character is checked against the JSON grammar (RFC 8259, what JSON.parse accepts), so the
 * first syntax error is found where it is, in whatever chunk: PontisError
 * `file:L: malformed JSON at line L, column C (character N): reason`, N counting UTF-16 code units
 * from the start of the text (after the BOM), C from 1. Nesting is kept on an explicit stack, so any
 * depth is fine.
 */

export type JsonKind = 'object' | 'array' | 'scalar';
export type JsonAction = 'descend' | 'capture' | 'skip';
/** Keys (objects) and indexes (arrays) from the root to a value; only the descended levels. */
export type JsonPath = readonly (string | number)[];

export interface JsonVisitor {
  /**
   * A value starts at `path` (the root is `[]`). `path` is the parser's own array, valid during the
   * call only. May throw (a PontisError) to stop with a shape error.
   */
  enter(path: JsonPath, kind: JsonKind): JsonAction;
  /** A captured value, parsed. */
  value(path: JsonPath, value: Json): void;
  /** A descended container has ended; `path` is its own path. */
  leave?(path: JsonPath, kind: 'object' | 'array'): void;
}

// Grammar states.
const VALUE = 0; // a value is expected (root, after ':' or after ',' in an array)
const ARRAY_FIRST = 1; // after '[': a value or ']'
const OBJECT_FIRST = 2; // after '{': a key or '}'
const KEY = 3; // after ',' in an object: a key
const COLON = 4; // after a key
const AFTER = 5; // after a value inside a container: ',' or the closing bracket
const END = 6; // after the root value: only white space
const STRING = 7;
const NUMBER = 8;
const LITERAL = 9;

// Number states (JSON grammar); the "complete" ones may end the number.
const N_MINUS = 0;
const N_ZERO = 1; // complete
const N_INT = 2; // complete
const N_DOT = 3;
const N_FRAC = 4; // complete
const N_E = 5;
const N_E_SIGN = 6;
const N_EXP = 7; // complete

const ARRAY = 1;
const OBJECT = 2;

const HEX = /^[0-9a-fA-F]$/;

interface Frame {
  kind: typeof ARRAY | typeof OBJECT;
  index: number;
}

export class JsonStreamParser {
  /** Keys and indexes of the descended containers' current members. */
  private readonly path: (string | number)[] = [];
  private readonly frames: Frame[] = [];
  /** Kinds of every open container, descended or not. */
  private readonly stack: number[] = [];
  private state = VALUE;

  // Positions: global offset of the current chunk, newlines before it, offset of the last one.
  private base = 0;
  private linesBefore = 0;
  private lastNewline = -1;
  private chunk = '';

  // Capture or skip of a value: the stack depth it started at (-1: none).
  private regionDepth = -1;
  private capturing = false;
  private regionParts: string[] = [];
  private regionStart = 0; // index in the current chunk
  private regionOffset = 0; // global offset, for messages

  // String state: a key of a descended object is collected to become a path entry.
  private stringIsKey = false;
  private collectKey = false;
  private keyParts: string[] = [];
  private keyStart = 0;
  private escape = 0; // 0 none, 1 after '\', 2..5 hex digits of \u still expected
  private escapeOffset = 0;

  // Number state.
  private num = N_MINUS;
  private numStart = 0;
  private numValidEnd = -1;

  // Literal state.
  private word = '';
  private wordPos = 0;
  private wordStart = 0;

  constructor(
    readonly file: string,
    private readonly visitor: JsonVisitor,
  ) {}

  /** Total characters written so far. */
  get offset(): number {
    return this.base + this.chunk.length;
  }

  write(text: string): void {
    this.chunk = text;
    this.run(text);
    // Carry the open capture and key over to the next chunk.
    if (this.regionDepth >= 0 && this.capturing) this.regionParts.push(text.slice(this.regionStart));
    this.regionStart = 0;
    if (this.state === STRING && this.collectKey) this.keyParts.push(text.slice(this.keyStart));
    this.keyStart = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      this.linesBefore++;
      this.lastNewline = this.base + nl;
      nl = text.indexOf('\n', nl + 1);
    }
    this.base += text.length;
    this.chunk = '';
  }

  /** The text has ended: throws if the JSON is incomplete. */
  end(): void {
    if (this.state === NUMBER) {
      if (!this.numComplete()) throw this.fail(this.numErrorOffset(), 'the number is incomplete');
      this.valueDone(0);
    }
    if (this.state === LITERAL) throw this.fail(this.wordStart, `"${this.word}" is cut short`);
    if (this.state === STRING && this.escape >= 2) {
      throw this.fail(Math.min(this.escapeOffset + 2, this.base), 'incomplete \\u escape');
    }
    if (this.state !== END) throw this.fail(this.base, 'unexpected end of JSON input');
  }

  private numComplete(): boolean {
    return this.num === N_ZERO || this.num === N_INT || this.num === N_FRAC || this.num === N_EXP;
  }

  /** Where a bad number is reported: after its longest valid prefix, else at its start. */
  private numErrorOffset(): number {
    return this.numValidEnd >= 0 ? this.numValidEnd : this.numStart;
  }

  private run(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case STRING: {
          if (this.escape === 0) {
            // Fast path: plain characters.
            let c = text.charCodeAt(i);
            while (c !== 0x22 && c !== 0x5c && c >= 0x20) {
              if (++i === n) return;
              c = text.charCodeAt(i);
            }
            if (c === 0x22) {
              i++;
              this.stringDone(i);
            } else if (c === 0x5c) {
              this.escape = 1;
              this.escapeOffset = this.base + i;
              i++;
            } else throw this.fail(this.base + i, `control character ${showChar(text, i)} in a string`);
          } else if (this.escape === 1) {
            const e = text[i] as string;
            if (e === 'u') this.escape = 2;
            else if ('"\\/bfnrt'.includes(e)) this.escape = 0;
            else throw this.fail(this.base + i, `bad escape "\\${e}" in a string`);
            i++;
          } else {
            if (!HEX.test(text[i] as string)) {
              throw this.fail(this.escapeOffset + 2, 'a \\u escape needs four hexadecimal digits');
            }
            this.escape = this.escape === 5 ? 0 : this.escape + 1;
            i++;
          }
          break;
        }
        case NUMBER: {
          const c = text.charCodeAt(i);
          const digit = c >= 0x30 && c <= 0x39;
          const num = this.num;
          let next = -1;
          if (num === N_MINUS) next = c === 0x30 ? N_ZERO : digit ? N_INT : -1;
          else if (num === N_ZERO || num === N_INT) {
            if (num === N_INT && digit) next = N_INT;
            else if (c === 0x2e) next = N_DOT;
            else if (c === 0x65 || c === 0x45) next = N_E;
          } else if (num === N_DOT || num === N_FRAC) {
            if (digit) next = N_FRAC;
            else if (num === N_FRAC && (c === 0x65 || c === 0x45)) next = N_E;
          } else if (num === N_E) next = c === 0x2b || c === 0x2d ? N_E_SIGN : digit ? N_EXP : -1;
          else next = digit ? N_EXP : -1; // N_E_SIGN, N_EXP
          if (next >= 0) {
            this.num = next;
            i++;
            if (this.numComplete()) this.numValidEnd = this.base + i;
            break;
          }
          if (!this.numComplete()) throw this.fail(this.numErrorOffset(), 'the number is incomplete');
          this.valueDone(i); // the character is not part of the number: look at it again
          break;
        }
        case LITERAL: {
          const word = this.word;
          while (i < n && this.wordPos < word.length) {
            if (text[i] !== word[this.wordPos]) throw this.fail(this.wordStart, `expected "${word}"`);
            i++;
            this.wordPos++;
          }
          if (this.wordPos === word.length) this.valueDone(i);
          break;
        }
        default: {
          const c = text.charCodeAt(i);
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
            i++;
            break;
          }
          i = this.structural(text, i, c);
        }
      }
    }
  }

  /** A character outside strings, numbers and literals, white space excluded. Returns the next index. */
  private structural(text: string, i: number, c: number): number {
    const state = this.state;
    if (state === VALUE || state === ARRAY_FIRST) {
      if (state === ARRAY_FIRST && c === 0x5d) return this.close(i, ARRAY);
      return this.startValue(text, i, c);
    }
    if (state === OBJECT_FIRST || state === KEY) {
      if (state === OBJECT_FIRST && c === 0x7d) return this.close(i, OBJECT);
      if (c !== 0x22)
        throw this.fail(this.base + i, `expected a double-quoted property name, got ${showChar(text, i)}`);
      this.stringIsKey = true;
      this.collectKey = this.regionDepth < 0;
      if (this.collectKey) {
        this.keyParts = [];
        this.keyStart = i;
      }
      this.state = STRING;
      return i + 1;
    }
    if (state === COLON) {
      if (c !== 0x3a)
        throw this.fail(this.base + i, `expected ":" after a property name, got ${showChar(text, i)}`);
      this.state = VALUE;
      return i + 1;
    }
    if (state === AFTER) {
      const top = this.stack[this.stack.length - 1];
      if (c === 0x2c) {
        this.state = top === OBJECT ? KEY : VALUE;
        return i + 1;
      }
      if (top === ARRAY && c === 0x5d) return this.close(i, ARRAY);
      if (top === OBJECT && c === 0x7d) return this.close(i, OBJECT);
      const want = top === ARRAY ? '"," or "]" after an array element' : '"," or "}" after a property value';
      throw this.fail(this.base + i, `expected ${want}, got ${showChar(text, i)}`);
    }
    // END
    throw this.fail(this.base + i, `unexpected ${showChar(text, i)} after the end of the JSON value`);
  }

  private startValue(text: string, i: number, c: number): number {
    const kind: JsonKind = c === 0x7b ? 'object' : c === 0x5b ? 'array' : 'scalar';
    if (
      kind === 'scalar' &&
      !(c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)
    ) {
      throw this.fail(this.base + i, `expected a value, got ${showChar(text, i)}`);
    }
    let descend = false;
    if (this.regionDepth < 0) {
      // Directly inside a descended container (or at the root): ask the visitor.
      const top = this.frames[this.frames.length - 1];
      if (top?.kind === ARRAY) this.path[this.path.length - 1] = top.index;
      const action = this.visitor.enter(this.path, kind);
      if (action === 'descend' && kind !== 'scalar') descend = true;
      else {
        this.regionDepth = this.stack.length;
        this.capturing = action !== 'skip';
        this.regionParts = [];
        this.regionStart = i;
        this.regionOffset = this.base + i;
      }
    }
    if (kind !== 'scalar') {
      const k = kind === 'object' ? OBJECT : ARRAY;
      this.stack.push(k);
      if (descend) {
        this.frames.push({ kind: k, index: 0 });
        this.path.push(k === ARRAY ? 0 : '');
      }
      this.state = k === OBJECT ? OBJECT_FIRST : ARRAY_FIRST;
      return i + 1;
    }
    if (c === 0x22) {
      this.state = STRING;
      this.stringIsKey = false;
      this.collectKey = false;
      return i + 1;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.state = LITERAL;
      this.word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      this.wordPos = 0;
      this.wordStart = this.base + i;
      return i;
    }
    this.state = NUMBER;
    this.num = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
    this.numStart = this.base + i;
    this.numValidEnd = this.num === N_MINUS ? -1 : this.base + i + 1;
    return i + 1;
  }

  private stringDone(end: number): void {
    if (!this.stringIsKey) {
      this.valueDone(end);
      return;
    }
    if (this.collectKey) {
      const raw = this.keyParts.join('') + this.chunk.slice(this.keyStart, end);
      this.keyParts = [];
      this.path[this.path.length - 1] = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    }
    this.state = COLON;
  }

  private close(i: number, kind: typeof ARRAY | typeof OBJECT): number {
    this.stack.pop();
    if (this.regionDepth < 0) {
      // A descended container ends.
      this.frames.pop();
      this.path.pop();
      this.visitor.leave?.(this.path, kind === ARRAY ? 'array' : 'object');
    }
    this.valueDone(i + 1);
    return i + 1;
  }

  /** A value has ended just before `end` (an index in the current chunk). */
  private valueDone(end: number): void {
    if (this.regionDepth === this.stack.length) {
      this.regionDepth = -1;
      if (this.capturing) {
        const text = this.regionParts.join('') + this.chunk.slice(this.regionStart, end);
        this.regionParts = [];
        let v: Json;
        try {
          v = JSON.parse(text) as Json;
        } catch (e) {
          // Cannot happen for text the tokenizer accepted; reported rather than thrown raw.
          throw this.fail(this.regionOffset, e instanceof Error ? e.message : String(e));
        }
        this.visitor.value(this.path, v);
      }
    }
    if (this.regionDepth < 0) {
      const top = this.frames[this.frames.length - 1];
      if (top?.kind === ARRAY) top.index++;
    }
    this.state = this.stack.length === 0 ? END : AFTER;
  }

  /** The malformed-JSON error at a global offset. */
  private fail(offset: number, reason: string): PontisError {
    let line: number;
    let lastNl: number;
    if (offset <= this.base) {
      // Only numbers, literals and escapes start in an earlier chunk; none has a newline.
      line = this.linesBefore + 1;
      lastNl = this.lastNewline;
    } else {
      const upto = Math.min(offset - this.base, this.chunk.length);
      line = this.linesBefore + 1;
      lastNl = this.lastNewline;
      let nl = this.chunk.indexOf('\n');
      while (nl >= 0 && nl < upto) {
        line++;
        lastNl = this.base + nl;
        nl = this.chunk.indexOf('\n', nl + 1);
      }
    }
    const column = offset - lastNl;
    return invalid(
      `${this.file}:${line}: malformed JSON at line ${line}, column ${column} (character ${offset}): ${reason}`,
      { file: this.file, line },
    );
  }
}

function showChar(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c < 0x20 || c === 0x7f) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const cp = text.codePointAt(i) ?? c;
  return `"${String.fromCodePoint(cp)}"`;
}

/**
 * Feeds a source's decoded text to a parser, one chunk at a time, so that a reader can stop between
 * chunks to hand out what the chunk produced. The text stream is closed at the end, on error and on
 * `close()`.
 */
export class JsonFeed {
  private it: AsyncIterator<unknown> | undefined;
  private done = false;

  /** The text is opened at the first step. */
  constructor(
    private readonly src: SourceFile,
    readonly parser: JsonStreamParser,
  ) {}

  /** Feed the next chunk; false once the text has ended (and the parser has checked the end). */
  async step(): Promise<boolean> {
    if (this.done) return false;
    try {
      this.it ??= this.src.text()[Symbol.asyncIterator]();
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        this.parser.end();
        return false;
      }
      this.parser.write(r.value as string);
      return true;
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** Feed chunks until `ready()` holds or the text ends. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready() && (await this.step()));
  }

  async close(): Promise<void> {
    const it = this.it;
    this.done = true;
    this.it = undefined;
    await it?.return?.();
  }
}

/** The first syntax error's offset in `text` (text.length when it is valid JSON). */
export function jsonErrorAt(text: string): number {
  const p = new JsonStreamParser('', { enter: () => 'skip', value: () => undefined });
  try {
    p.write(text);
    p.end();
    return text.length;
  } catch (e) {
    const m = /\(character (\d+)\)/.exec(e instanceof Error ? e.message : '');
    if (m) return Number(m[1]);
    throw e;
  }
}

/** Observations a visitor produced, in batches, waiting to be handed out between chunks. */
export class ObservationQueue {
  private readonly batcher: Batcher;
  private readonly ready: RawObservation[][] = [];

  constructor(batchSize?: number) {
    this.batcher = new Batcher(batchSize);
  }

  push(obs: RawObservation): void {
    const full = this.batcher.push(obs);
    if (full) this.ready.push(full);
  }

  /**
   * The batches: those already full, then the rest of the text fed chunk by chunk (each full batch
   * handed out as soon as its chunk is parsed), then the last partial batch.
   */
  async *batches(feed: JsonFeed): AsyncGenerator<RawObservation[]> {
    try {
      for (;;) {
        while (this.ready.length > 0) yield this.ready.shift() as RawObservation[];
        if (!(await feed.step())) break;
      }
      while (this.ready.length > 0) yield this.ready.shift() as RawObservation[];
      const last = this.batcher.flush();
      if (last) yield last;
    } finally {
      await feed.close();
    }
  }
}
