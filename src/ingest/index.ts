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
