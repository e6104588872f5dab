import { invalid, PontisError } from '../core/errors.ts';
import { ituCsvReader } from './itu-csv.ts';
import { FORMATS, type FormatId, type Reader, type SourceFile } from './reader.ts';
import { sdmxCsvReader } from './sdmx-csv.ts';
import { sdmxJsonReader } from './sdmx-json.ts';
import { readHead } from './source.ts';
import { tidyCsvReader } from './tidy-csv.ts';
import { unsdgJsonReader } from './unsdg-json.ts';
import { wbApiJsonReader } from './wb-api-json.ts';
import { wdiCsvReader } from './wdi-csv.ts';
import { xlsxReader } from './xlsx.ts';

/**
 * Every reader, in the order formats are sniffed: the binary format first, then the JSON formats by
 * their distinctive keys, then the CSV formats from the most specific header to the most general
 * (a tidy CSV is anything with indicator, geo, period and value columns).
 */
export const readers: readonly Reader[] = [
  xlsxReader,
  wbApiJsonReader,
  unsdgJsonReader,
  sdmxJsonReader,
  sdmxCsvReader,
  ituCsvReader,
  wdiCsvReader,
  tidyCsvReader,
];

export function readerFor(format: FormatId): Reader {
  const r = readers.find((x) => x.format === format);
  if (!r) throw invalid(`unknown format "${format}"; use one of ${FORMATS.join(', ')}`);
  return r;
}

/** The reader whose format the file looks like. Throws a PontisError when none matches. */
export async function detectFormat(src: SourceFile): Promise<Reader> {
  const head = await readHead(src, 65536);
  const name = src.file;
  for (const r of readers) if (r.sniff(head, name)) return r;
  // Text in the wrong encoding (UTF-16, Latin-1…) matches no reader: say so rather than "unknown format".
  if (!head.startsWith('PK') && looksLikeText(head)) {
    const problem = await encodingProblem(src);
    if (problem) throw problem;
  }
  throw invalid(`cannot tell the format of ${src.file}; use --format with one of ${FORMATS.join(', ')}`, {
    file: src.file,
  });
}

/** A UTF-16 BOM, or no control characters other than tab, CR and LF in the first 4 KiB. */
function looksLikeText(head: string): boolean {
  if (head.startsWith('\u00ff\u00fe') || head.startsWith('\u00fe\u00ff')) return true;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = head.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return n > 0;
}

/** The decoding error of the file's first 64 KiB, if any. */
async function encodingProblem(src: SourceFile): Promise<PontisError | undefined> {
  const text = src.text();
  let n = 0;
  try {
    for await (const chunk of text) {
      n += (chunk as string).length;
      if (n > 65536) break;
    }
  } catch (e) {
    if (e instanceof PontisError) return e;
    throw e;
  } finally {
    text.destroy();
  }
  return undefined;
}
