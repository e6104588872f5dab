import { invalid } from '../core/errors.ts';
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
  throw invalid(`cannot tell the format of ${src.file}; use --format with one of ${FORMATS.join(', ')}`, {
    file: src.file,
  });
}
