import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { invalid, notFound, PontisError } from '../core/errors.ts';
import type { SourceFile } from './reader.ts';

/**
 * Opening an input file: gzip is detected by its magic bytes (not by the file name), the text is
 * decoded as strict UTF-8 with the BOM removed, and every problem becomes a PontisError naming the file.
 */

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const HEAD_BYTES = 65536;

/** Open `path` for reading. Throws PontisError if it does not exist, is not a file, is empty or unreadable. */
export async function openSource(path: string, displayName?: string): Promise<SourceFile> {
  const file = displayName ?? path;
  const abs = resolve(path);
  let size: number;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) throw invalid(`${file} is a directory, not a file`, { file });
    size = st.size;
  } catch (e) {
    if (e instanceof PontisError) throw e;
    const code = errnoCode(e);
    if (code === 'ENOENT') throw notFound(`${file}: no such file`, { file });
    throw invalid(`${file} cannot be read (${code ?? describe(e)})`, { file });
  }
  if (size === 0) throw invalid(`${file} is empty`, { file });

  const magic = await readMagic(abs, file);
  const src = new DiskSource(file, abs, magic[0] === GZIP_MAGIC[0] && magic[1] === GZIP_MAGIC[1]);

  // Reading the head up front finds empty (after decompression) and badly truncated gzip files at once.
  const { bytes, complete } = await readHeadBytes(src, HEAD_BYTES);
  if (complete && isBlank(bytes)) throw invalid(`${file} is empty`, { file });
  return src;
}

/**
 * The first `maxBytes` decompressed bytes as text, for sniffing the format: strict UTF-8 with the
 * BOM removed when the bytes are UTF-8 (a multi-byte character cut at the end is dropped), otherwise
 * the latin1 view of the bytes (binary formats such as XLSX).
 */
export async function readHead(src: SourceFile, maxBytes = HEAD_BYTES): Promise<string> {
  const { bytes } = await readHeadBytes(src, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes, { stream: true });
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/** Up to `maxBytes` decompressed bytes; `complete` is true when that is the whole content. */
export async function readHeadBytes(
  src: SourceFile,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = src.bytes();
  let complete = true;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf);
      total += buf.length;
      if (total > maxBytes) {
        complete = false;
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  const all = Buffer.concat(chunks, total);
  return { bytes: all.subarray(0, Math.min(total, maxBytes)), complete };
}

/**
 * Strict UTF-8 validation of a byte stream chunk by chunk, natively (no decoding to strings): a
 * character cut at a chunk boundary is carried over to the next chunk. Throws the same errors as
 * text() (UTF-16, invalid UTF-8 near byte N).
 */
class Utf8Check {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  private first = true;
  constructor(private readonly file: string) {}

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.first && buf.length > 0) {
      this.first = false;
      if (isUtf16Bom(buf))
        throw invalid(`${this.file} is UTF-16 encoded, not UTF-8; save it as UTF-8`, { file: this.file });
    }
    // Hold back an incomplete character at the end (at most 3 bytes of a 4-byte sequence).
    let end = buf.length;
    for (let k = 1; k <= 3 && k <= buf.length; k++) {
      const c = buf[buf.length - k]!;
      if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > k) end = buf.length - k;
      break;
    }
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) throw badUtf8(this.file, this.offset + firstInvalidUtf8(body));
    this.offset += body.length;
    this.carry = Buffer.from(buf.subarray(end));
  }

  end(): void {
    if (this.carry.length > 0 && !isUtf8(this.carry)) throw badUtf8(this.file, this.offset);
  }
}

/**
 * Strict UTF-8 check of the first `maxBytes` decompressed bytes (a character cut at the end is
 * allowed): a reader whose rest of file is checked later (digestContent) reports a wrong encoding
 * near the start at once, before it judges the header.
 */
export async function checkUtf8Head(src: SourceFile, maxBytes = HEAD_BYTES): Promise<void> {
  const { bytes } = await readHeadBytes(src, maxBytes);
  new Utf8Check(src.file).push(Buffer.from(bytes));
}

/** What the store records about a file's bytes. */
export interface ContentDigest {
  /** sha256 (hex) of the bytes on disk (compressed, for a gzip file). */
  checksum: string;
}

/**
 * One read of a file for the loader: the sha256 of its bytes on disk and, with `text`, the check
 * that the whole (decompressed) content is strict UTF-8 and, for gzip, that the stream is intact
 * (the same errors as text()). For formats the store reads itself (tidy CSV), where decoding 300 MB
 * into JavaScript strings only to drop them would cost seconds; the loader runs it beside the
 * database's own read of the file.
 */
export async function digestContent(
  src: Pick<SourceFile, 'file' | 'path' | 'gzip'>,
  options: { text: boolean },
): Promise<ContentDigest> {
  const hash = createHash('sha256');
  const check = options.text ? new Utf8Check(src.file) : undefined;
  const hashDisk = async () => {
    try {
      for await (const chunk of createReadStream(src.path, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        if (!src.gzip) check?.push(chunk as Buffer);
      }
    } catch (e) {
      if (e instanceof PontisError) throw e;
      throw invalid(`${src.file} cannot be read (${errnoCode(e) ?? describe(e)})`, { file: src.file });
    }
  };
  if (src.gzip && check) {
    const decompressed = async () => {
      for await (const chunk of rawBytes(src.path, true, src.file)) check.push(chunk);
    };
    await Promise.all([hashDisk(), decompressed()]);
  } else {
    await hashDisk();
  }
  check?.end();
  return { checksum: hash.digest('hex') };
}

/** The whole decoded text (for JSON formats; CSV readers stream instead). */
export async function readAllText(src: SourceFile): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of src.text()) parts.push(chunk as string);
  return parts.join('');
}

class DiskSource implements SourceFile {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly gzip: boolean,
  ) {}

  bytes(): Readable {
    return Readable.from(rawBytes(this.path, this.gzip, this.file), { objectMode: false });
  }

  text(): Readable {
    return Readable.from(decodeUtf8(rawBytes(this.path, this.gzip, this.file), this.file), {
      objectMode: true,
    });
  }
}

async function readMagic(abs: string, file: string): Promise<Uint8Array> {
  try {
    const fh = await open(abs, 'r');
    try {
      const buf = Buffer.alloc(2);
      const { bytesRead } = await fh.read(buf, 0, 2, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw invalid(`${file} cannot be read (${errnoCode(e) ?? describe(e)})`, { file });
  }
}

async function* rawBytes(path: string, gzip: boolean, file: string): AsyncGenerator<Buffer> {
  const input = createReadStream(path);
  if (!gzip) {
    try {
      for await (const chunk of input) yield chunk as Buffer;
    } catch (e) {
      throw invalid(`${file} cannot be read (${errnoCode(e) ?? describe(e)})`, { file });
    } finally {
      input.destroy();
    }
    return;
  }
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let out = 0;
  try {
    for await (const chunk of gunzip) {
      out += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (e) {
    if (errnoCode(e) && !String(errnoCode(e)).startsWith('Z_')) {
      throw invalid(`${file} cannot be read (${errnoCode(e)})`, { file });
    }
    throw invalid(
      `${file}: gzip stream is truncated or corrupt after ${out} decompressed bytes (${describe(e)}); download the file again`,
      { file },
    );
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
}

/** Strict streaming UTF-8 decoding; the BOM is removed (ignoreBOM: false). */
async function* decodeUtf8(bytes: AsyncIterable<Buffer>, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  let first = true;
  for await (const chunk of bytes) {
    if (first && chunk.length > 0) {
      first = false;
      if (isUtf16Bom(chunk)) {
        throw invalid(`${file} is UTF-16 encoded, not UTF-8; save it as UTF-8`, { file });
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw badUtf8(file, offset + firstInvalidUtf8(chunk));
    }
    offset += chunk.length;
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw badUtf8(file, offset);
  }
  if (rest) yield rest;
}

function badUtf8(file: string, byte: number) {
  return invalid(`${file} is not valid UTF-8 (near byte ${byte}); save it as UTF-8`, { file });
}

function isUtf16Bom(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

/**
 * Index of the first byte that breaks UTF-8 in `b` (leading continuation bytes, left over from a
 * character that started in the previous chunk, are skipped). Returns b.length if none is found
 * (the sequence is cut at the end).
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && i < 3 && ((b[i] ?? 0) & 0xc0) === 0x80) i++;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let n: number;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    if (i + n >= b.length) return b.length;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return i;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return i;
    i += n + 1;
  }
  return b.length;
}

/** Only a BOM and ASCII white space. */
function isBlank(b: Uint8Array): boolean {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  for (; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
