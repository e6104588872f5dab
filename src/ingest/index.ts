/**
 * Ingest: one reader per file format, each turning a file into batches of RawObservation (strings,
 * validated later by the store) plus what it learned about the file (vintage, source, indicator
 * names, count of cells the format marks as missing). Readers never touch the database.
 *
 * | format      | reader file      | result    | `line` is                                   |
 * |-------------|------------------|-----------|---------------------------------------------|
 * | tidy-csv    | tidy-csv.ts      | bulk-csv  | (the store counts: record + headerLines)    |
 * | wdi-csv     | wdi-csv.ts       | stream    | physical line of the row                    |
 * | wb-api-json | wb-api-json.ts   | stream    | 1-based index in the rows array             |
 * | unsdg-json  | unsdg-json.ts    | stream    | 1-based index in `data`                     |
 * | sdmx-json   | sdmx-json.ts     | stream    | 1-based ordinal of the observation          |
 * | sdmx-csv    | sdmx-csv.ts      | stream    | physical line where the record starts       |
 * | itu-csv     | itu-csv.ts       | stream    | physical line where the record starts       |
 * | xlsx        | xlsx.ts          | stream    | worksheet row number                        |
 *
 * Files are opened by source.ts (gzip by magic bytes, strict UTF-8, BOM removed); detect.ts sniffs
 * the format. File-level problems are PontisErrors naming the file (and line and field where known);
 * row-level problems (non-numeric values, unknown codes, duplicate keys) are left to the store.
 */
import { usage } from '../core/errors.ts';
import { detectFormat, readerFor } from './detect.ts';
import { FORMATS, type FormatId, type ReadResult, type SourceFile } from './reader.ts';
import { openSource } from './source.ts';

export { detectFormat, readerFor, readers } from './detect.ts';
export * from './reader.ts';
export { openSource, readHead } from './source.ts';

export interface ReadFileOptions {
  /** Skip detection and use this reader. */
  format?: FormatId | undefined;
  /** The name used in messages (defaults to the path). */
  displayName?: string | undefined;
  /** Observations per batch (default 10,000). */
  batchSize?: number | undefined;
}

/** Open a file, pick its reader (given or detected) and start reading it. */
export async function readFile(
  path: string,
  options: ReadFileOptions = {},
): Promise<{ format: FormatId; source: SourceFile; result: ReadResult }> {
  if (options.format !== undefined && !(FORMATS as readonly string[]).includes(options.format)) {
    throw usage(`unknown format "${options.format}"; use one of ${FORMATS.join(', ')}`);
  }
  const source = await openSource(path, options.displayName);
  const reader = options.format ? readerFor(options.format) : await detectFormat(source);
  const result = await reader.read(
    source,
    options.batchSize === undefined ? {} : { batchSize: options.batchSize },
  );
  return { format: reader.format, source, result };
}
