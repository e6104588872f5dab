import { invalid } from '../core/errors.ts';
import type { SourceFile } from './reader.ts';
import { readAllText } from './source.ts';

/**
 * Read and parse a whole JSON file. JSON inputs here are API responses well under ~200 MB, so the
 * whole text is read; malformed JSON is reported with its line, column and byte-offset where V8 gives one.
 */
export async function readJson(src: SourceFile): Promise<unknown> {
  const text = await readAllText(src);
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // V8 gives a position for some errors only; find it ourselves otherwise.
    const m = /position (\d+)/.exec(reason);
    const offset = m ? Number(m[1]) : jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = offset - before.lastIndexOf('\n');
    throw invalid(
      `${src.file}:${line}: malformed JSON at line ${line}, column ${column} (character ${offset}): ${shortReason(reason)}`,
      { file: src.file, line },
    );
  }
}

/**
 * Offset of the first syntax error in `text` (text.length when the text ends too early). Only used
 * after JSON.parse has failed, so it needs to find the error, not to build values.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = () => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail();
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail();
        }
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const scalar = () => {
    const c = text[i];
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  const key = () => {
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  // Iterative, so that deeply nested input cannot overflow the stack.
  const stack: ('[' | '{')[] = [];
  try {
    let expectValue = true;
    for (;;) {
      if (expectValue) {
        ws();
        const c = text[i];
        if (c === '{' || c === '[') {
          i++;
          ws();
          if (text[i] === (c === '{' ? '}' : ']')) i++;
          else {
            stack.push(c);
            if (c === '{') key();
            continue;
          }
        } else scalar();
        expectValue = false;
      }
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      ws();
      if (text[i] === (top === '{' ? '}' : ']')) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') fail();
      i++;
      if (top === '{') key();
      expectValue = true;
    }
    ws();
    if (i < n) fail();
    return n;
  } catch (e) {
    if (typeof e === 'number') return Math.min(e, n);
    throw e;
  }
}

/** V8 quotes a slice of the input in its messages; keep them short. */
function shortReason(reason: string): string {
  return reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scalar as text: strings as they are, numbers and booleans with String(); anything else ''. */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** "an array", "an object", "null", "a string"… for messages. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
