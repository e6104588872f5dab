import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import type { RawObservation } from '../../src/core/observation.ts';
import { readerFor } from '../../src/ingest/detect.ts';
import type { FormatId, ReadMeta, ReadResult, SourceFile } from '../../src/ingest/reader.ts';
import { openSource } from '../../src/ingest/source.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/formats');
export const fixture = (name: string) => join(FIXTURES, name);

/** All observations of a read, with its meta (filled while reading). */
export async function collect(
  result: ReadResult,
): Promise<{ obs: RawObservation[]; meta: ReadMeta; batches: number[] }> {
  if (result.kind !== 'stream') throw new Error(`expected a stream read, got ${result.kind}`);
  const obs: RawObservation[] = [];
  const batches: number[] = [];
  for await (const b of result.batches) {
    batches.push(b.length);
    obs.push(...b);
  }
  return { obs, meta: result.meta, batches };
}

/** Read a file with a given reader (no detection) and collect everything. */
export async function readWith(format: FormatId, path: string, batchSize?: number) {
  const src = await openSource(path);
  const result = await readerFor(format).read(src, batchSize === undefined ? {} : { batchSize });
  return collect(result);
}

export class TmpDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'pontis-ingest-'));
  private n = 0;
  file(name: string, content: string | Uint8Array): string {
    const p = join(this.dir, `${this.n++}-${name}`);
    writeFileSync(p, content);
    return p;
  }
  /** A gzip of `content` cut to half its length. */
  truncatedGzip(name: string, content: string | Uint8Array): string {
    const gz = gzipSync(content);
    return this.file(name, gz.subarray(0, Math.floor(gz.length / 2)));
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Await `p` and check it rejects with a PontisError whose message matches every pattern. */
export async function expectPontisError(
  p: Promise<unknown>,
  ...patterns: (string | RegExp)[]
): Promise<PontisError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a PontisError to be thrown').toBeInstanceOf(PontisError);
  const err = caught as PontisError;
  for (const pat of patterns) {
    if (typeof pat === 'string') expect(err.message).toContain(pat);
    else expect(err.message).toMatch(pat);
  }
  return err;
}

/** Bytes of a UTF-16LE file with BOM. */
export function utf16le(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Bytes of a latin1 file. */
export function latin1(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/**
 * A real opened source whose text() (or bytes()) counts what it has handed out, per opening:
 * characters for text, bytes for bytes. Streaming tests compare it with the file's size.
 */
export function counting(
  src: SourceFile,
  what: 'text' | 'bytes' = 'text',
): { src: SourceFile; pulled: number[] } {
  const pulled: number[] = [];
  const wrap = (open: () => Readable, objectMode: boolean) => () => {
    const k = pulled.push(0) - 1;
    const inner = open();
    async function* count() {
      for await (const chunk of inner) {
        pulled[k] = (pulled[k] ?? 0) + (chunk as string | Buffer).length;
        yield chunk;
      }
    }
    return Readable.from(count(), { objectMode });
  };
  const counted: SourceFile = {
    file: src.file,
    path: src.path,
    gzip: src.gzip,
    text: what === 'text' ? wrap(() => src.text(), true) : () => src.text(),
    bytes: what === 'bytes' ? wrap(() => src.bytes(), false) : () => src.bytes(),
  };
  return { src: counted, pulled };
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap in use after a full garbage collection. */
export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}
