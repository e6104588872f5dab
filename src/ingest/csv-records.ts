import { pipeline } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { invalid, PontisError } from '../core/errors.ts';
import type { SourceFile } from './reader.ts';

/** One CSV record and the physical line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvRecordOptions {
  delimiter?: string;
}

/**
 * Stream the records of a CSV file with csv-parse. Line numbers are counted here rather than taken
 * from csv-parse's `info.lines`, which miscounts CRLF line breaks inside quoted fields: each record
 * ends with one line break, plus the line breaks inside its quoted fields. Blank lines are skipped
 * (but counted). Records may have any number of fields; the readers check them.
 */
export async function* csvRecords(
  src: SourceFile,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: false,
    bom: true,
  });
  const text = src.text();
  pipeline(text, parser, () => {
    // Errors surface through the iteration below.
  });
  let line = 1;
  try {
    for await (const rec of parser) {
      const fields = rec as string[];
      const start = line;
      line += 1 + embeddedLineBreaks(fields);
      if (fields.length === 1 && fields[0] === '') continue;
      yield { line: start, fields };
    }
  } catch (e) {
    if (e instanceof PontisError) throw e;
    throw invalid(
      `${src.file}:${line}: cannot parse the CSV record starting on line ${line}: ${csvReason(e)}`,
      {
        file: src.file,
        line,
      },
    );
  } finally {
    text.destroy();
    parser.destroy();
  }
}

function embeddedLineBreaks(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13 && f.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}

function csvReason(e: unknown): string {
  const err = e as Partial<CsvError>;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (missing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted field is followed by other characters before the next delimiter';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'characters after a closing quote';
    default: {
      const msg = e instanceof Error ? e.message : String(e);
      return msg.replace(/ at line \d+/, '');
    }
  }
}

/** Split one header line (no line breaks) into fields, for sniffing. */
export function splitHeaderLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** The first line of `head` (without its line break). */
export function firstLine(head: string): string {
  const i = head.search(/\r\n|\n|\r/);
  return i < 0 ? head : head.slice(0, i);
}

/** Most frequent of comma, semicolon and tab outside quotes in a header line (comma on ties). */
export function sniffDelimiter(header: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  let best = ',';
  for (const d of [';', '\t']) if ((counts[d] ?? 0) > (counts[best] ?? 0)) best = d;
  return best;
}
