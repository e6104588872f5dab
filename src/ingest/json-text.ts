import { jsonErrorAt } from './json-stream.ts';

/**
 * JSON helpers for the JSON readers, which parse incrementally with json-stream.ts (no reader holds
 * a whole document any more).
 */

/**
 * Offset of the first syntax error in `text` (text.length when it is valid JSON), as the streaming
 * parser reports it: at the offending character; at the start of a bad literal; after the longest
 * valid prefix of a bad number; at the first digit of a bad \u escape; text.length when the text
 * ends too early.
 */
export function jsonErrorOffset(text: string): number {
  return jsonErrorAt(text);
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
