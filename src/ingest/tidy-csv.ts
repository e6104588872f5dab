import { invalid } from '../core/errors.ts';
import { firstLine, sniffDelimiter, splitHeaderLine } from './csv-records.ts';
import type { BulkCsvRead, Reader, SourceFile } from './reader.ts';
import { checkUtf8Head, readHead } from './source.ts';
import { describeHeaderProblem, isTidyHeader, mapTidyHeader } from './tidy-columns.ts';

/**
 * Pontis's own tidy long CSV: one observation per row, columns indicator, geo, period, value and
 * optionally sex, area, age, quintile, flags, unit (aliases accepted, see tidy-columns.ts); any other
 * column is a breakdown dimension. The store loads the rows itself with DuckDB's read_csv, so this
 * reader checks the header and the encoding of the file's first 64 KiB; the loader checks that the
 * whole file decodes (gzip intact, strict UTF-8) with digestContent, in the same read that computes
 * its checksum, beside DuckDB's own read of the rows.
 */

const MAX_HEADER_CHARS = 65536;

export const tidyCsvReader: Reader = {
  format: 'tidy-csv',
  description: 'Pontis tidy long CSV (indicator, geo, period, value, optional dimensions)',
  sniff(head) {
    const line = firstLine(head);
    if (line.length === 0) return false;
    const names = splitHeaderLine(line, sniffDelimiter(line));
    return isTidyHeader(mapTidyHeader(names));
  },
  async read(src: SourceFile): Promise<BulkCsvRead> {
    const header = await headerLine(src);
    const delimiter = sniffDelimiter(header);
    const names = splitHeaderLine(header, delimiter);
    const mapped = mapTidyHeader(names);
    if (!isTidyHeader(mapped)) {
      throw invalid(`${src.file}:1: wrong header: ${describeHeaderProblem(mapped, names)}`, {
        file: src.file,
        line: 1,
        field: mapped.kind === 'missing' ? mapped.fields.join(',') : undefined,
      });
    }
    return {
      kind: 'bulk-csv',
      meta: { indicators: [], missing: 0 },
      path: src.path,
      gzip: src.gzip,
      delimiter,
      columns: mapped.columns,
      extraColumns: mapped.extraColumns,
      headerLines: 1,
    };
  },
};

/** The first line of the file, after a strict UTF-8 check of the file's head. */
async function headerLine(src: SourceFile): Promise<string> {
  const head = await readHead(src, MAX_HEADER_CHARS + 1);
  const line = firstLine(head);
  if (line.length === head.length && head.length > MAX_HEADER_CHARS) {
    throw invalid(
      `${src.file}:1: the first line is longer than ${MAX_HEADER_CHARS} characters; is this a CSV file?`,
      {
        file: src.file,
        line: 1,
      },
    );
  }
  await checkUtf8Head(src, MAX_HEADER_CHARS + 1);
  if (line.trim() === '')
    throw invalid(`${src.file}:1: the header line is empty`, { file: src.file, line: 1 });
  return line;
}
