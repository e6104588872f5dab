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
    const pos = /position (\d+)/.exec(reason);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = (before.match(/\n/g)?.length ?? 0) + 1;
      const column = offset - before.lastIndexOf('\n');
      throw invalid(
        `${src.file}:${line}: malformed JSON at line ${line}, column ${column} (character ${offset}): ${shortReason(reason)}`,
        { file: src.file, line },
      );
    }
    throw invalid(`${src.file}: malformed JSON: ${shortReason(reason)}`, { file: src.file });
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
