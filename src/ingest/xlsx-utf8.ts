/**
 * exceljs's streaming WorkbookReader, decoding UTF-8 across chunks. A module of its own so that
 * exceljs is imported only when a workbook is read (xlsx.ts imports it on demand).
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes each chunk of a zip entry on its own (TextDecoder without
 * `stream: true`), so a character cut between two chunks becomes two U+FFFD ("Côte d’Ivoire" turns
 * into "C��te d’Ivoire" about once per 16 KiB of text). This subclass hands its XML parser text
 * decoded across chunk boundaries instead. It reaches into exceljs internals (`_parse…`, present in
 * 4.x); xlsx.test.ts checks the result on a workbook whose every chunk boundary cuts a character.
 */
interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): unknown;
  _parseSharedStrings(entry: Readable): unknown;
  _parseStyles(entry: Readable): unknown;
  _parseWorkbook(entry: Readable): unknown;
}

const baseReader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

export class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): unknown {
    return baseReader._parseWorksheet.call(this, utf8(iterator), sheetNo);
  }
  _parseSharedStrings(entry: Readable): unknown {
    return baseReader._parseSharedStrings.call(this, textStream(entry));
  }
  _parseStyles(entry: Readable): unknown {
    return baseReader._parseStyles.call(this, textStream(entry));
  }
  _parseWorkbook(entry: Readable): unknown {
    return baseReader._parseWorkbook.call(this, textStream(entry));
  }
}

async function* utf8(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks) {
    const s = typeof c === 'string' ? c : decoder.decode(c as Uint8Array, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

function textStream(entry: Readable): Readable {
  return Readable.from(utf8(entry), { objectMode: true });
}
