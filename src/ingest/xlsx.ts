import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { invalid, PontisError } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { Batcher } from './batches.ts';
import { countryCode } from './country-names.ts';
import type { BulkField, Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';
import { describeHeaderProblem, isTidyHeader, mapTidyHeader, type TidyHeader } from './tidy-columns.ts';

/**
 * Excel workbooks (XLSX), read with exceljs. Two layouts; the first worksheet that matches one is read:
 *  (a) tidy: a header row (within the first 5 rows) with the tidy columns indicator, geo, period,
 *      value (aliases as for tidy CSV), one observation per row below it;
 *  (b) ITU "Free statistics" workbooks such as Core Household Indicators: a multi-row header with
 *      indicator codes in parentheses ("(HH1)") over a value column, footnote columns and a "Year"
 *      column per indicator; economies by name in the first text column. `...` is not available
 *      (missing, counted), `-` is zero, numbers are often stored as text. ITU marks its estimates only
 *      by setting the figure in italics, so an italic value cell gets flags "E". Names are mapped to
 *      ISO3 (country-names.ts); unknown names pass through for the store to reject.
 * `line` is the worksheet row number.
 *
 * Streamed with exceljs's WorkbookReader (worksheets emitted, shared strings and styles cached,
 * hyperlinks ignored; styles are needed to tell dates from numbers and to see italics): memory holds
 * the shared strings (one per distinct text), the styles, 16 rows, a batch and unzip's read-ahead
 * (16 chunks, cut to 16 KiB), not the workbook. What that changes:
 *  - "The first worksheet that matches" is the first in archive order (the order exceljs emits them;
 *    for Excel's and exceljs's files the tab order, unless sheets were moved). Each worksheet's layout is
 *    chosen from its first 16 rows, kept as it arrives (the ITU code row is looked for in rows 1-15,
 *    with the row below it; the tidy header in rows 1-5); a worksheet that matches neither is read
 *    through and dropped.
 *  - Merged ranges are listed after the cells in the sheet XML, so they are not known while reading:
 *    a cell covered by a merged range is read as the file stores it (empty, as Excel writes it). The
 *    ITU group label in the row above the codes ("Proportion of households with", merged over
 *    several indicators) is therefore taken from the nearest non-empty cell at or left of the code's
 *    column, not left of the first code.
 *  - exceljs copies a worksheet that comes before the shared strings in the archive (exceljs's own
 *    writer puts them after the sheets; the ITU workbook, saved by Excel, before) to a temporary file,
 *    and parses it once the archive has been read: memory stays bounded, the first batch comes late.
 *  - read() returns once a worksheet's layout is chosen; a workbook that cannot be read, or has no
 *    matching worksheet, is reported there, and so is a file on disk without the zip end record (cut
 *    short). The rest of the archive is still read through after the chosen worksheet, so a cut
 *    archive inside a gzip, or a cut gzip, is reported (by the batch iterator) as before.
 *  - exceljs's streaming parser decodes UTF-8 chunk by chunk, breaking characters cut between two
 *    chunks; Utf8WorkbookReader (xlsx-utf8.ts) decodes across chunks instead.
 */

const ITU_CODE = /^\(\s*([A-Z]{1,5}\d{1,3}[a-z]?)\s*\)$|^(HH\d{1,2}[a-z]?)$/;
const MISSING = new Set(['', '...', '..', '…']);
const ZERO = new Set(['-', '–', '—']);
const STOP = /^(notes?|sources?)\s*:?$/i;

/** Rows kept per worksheet to choose its layout: the ITU code row is within the first 15, plus one. */
const HEAD_ROWS = 16;

const UNZIP_CHUNK = 16 * 1024;

const STREAM_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  // Styles are needed: dates are told from numbers by their number format, ITU estimates by italics.
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

export const xlsxReader: Reader = {
  format: 'xlsx',
  description: 'Excel workbook (XLSX): tidy sheet, or ITU indicator workbook (HH1…)',
  sniff(head, fileName) {
    // XLSX is a zip archive; its first entry name follows the local file header.
    return (
      head.startsWith('PK\u0003\u0004') &&
      (/\.xlsx$/i.test(fileName) || head.includes('[Content_Types].xml') || head.includes('xl/'))
    );
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const run = readWorkbook(src, meta, options.batchSize);
    // Runs until a worksheet's layout is chosen (or throws: unreadable, no worksheet matches).
    const first = await run.next();
    if (first.done) throw invalid(`${src.file} is not a readable XLSX workbook`, { file: src.file });
    return {
      kind: 'stream',
      meta,
      batches: rest(run),
      close: async () => {
        await run.return(undefined);
      },
    };
  },
};

async function* rest(run: AsyncGenerator<RawObservation[] | null>): AsyncGenerator<RawObservation[]> {
  try {
    for (;;) {
      const r = await run.next();
      if (r.done) return;
      if (r.value) yield r.value;
    }
  } finally {
    await run.return(undefined);
  }
}

/**
 * The whole read: yields null once the layout is chosen, then the batches. Worksheets are taken as
 * exceljs's streaming reader emits them, in archive order; each one's first HEAD_ROWS rows are kept to
 * choose its layout, the rest is read row by row. After the chosen worksheet, the rest of the archive
 * is read through (without keeping anything), so that a truncated archive or gzip is still reported.
 */
async function* readWorkbook(
  src: SourceFile,
  meta: ReadMeta,
  size: number | undefined,
): AsyncGenerator<RawObservation[] | null> {
  let sourceError: unknown;
  // Errors of the source (truncated gzip) end the stream instead: unzipper would wait forever.
  // Chunks are cut to 16 KiB: unzipper's input is an object-mode stream that buffers 16 chunks,
  // whatever their size (1 MiB of read-ahead with 64 KiB chunks, 256 KiB so).
  async function* guarded() {
    try {
      for await (const chunk of src.bytes()) {
        const buf = chunk as Buffer;
        for (let i = 0; i < buf.length; i += UNZIP_CHUNK) yield buf.subarray(i, i + UNZIP_CHUNK);
      }
    } catch (e) {
      sourceError = e;
    }
  }
  const input = Readable.from(guarded(), { objectMode: false });
  // exceljs pipes the input into unzipper, whose errors (a cut archive: FILE_ENDED) it only sees
  // between entries: inside a worksheet the entry just never ends. So every wait on exceljs is
  // rejected when the unzip stream fails. (Not with Promise.race against one long-lived promise:
  // every race would leave a reaction on it holding its result, a row, for good.)
  let failure: { error: unknown } | undefined;
  let rejectWait: ((e: unknown) => void) | undefined;
  const pipe = input.pipe.bind(input);
  input.pipe = (<T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }) => {
    (dest as unknown as Readable).on('error', (error: unknown) => {
      failure ??= { error };
      rejectWait?.(error);
    });
    return pipe(dest, opts);
  }) as typeof input.pipe;
  const next = <T>(p: Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(failure.error);
    return new Promise<T>((resolve, reject) => {
      rejectWait = reject;
      p.then(
        (v) => {
          rejectWait = undefined;
          resolve(v);
        },
        (e: unknown) => {
          rejectWait = undefined;
          reject(e);
        },
      );
    });
  };

  const problems: string[] = [];
  let sheets = 0;
  let chosen = false;
  try {
    if (!src.gzip) await checkZipEnd(src);
    // exceljs is loaded here, not when the CLI starts (about 0.25 s CPU for every other command).
    const { Utf8WorkbookReader } = await import('./xlsx-utf8.ts');
    const reader = new Utf8WorkbookReader(input, STREAM_OPTIONS);
    const worksheets = reader[Symbol.asyncIterator]();
    for (;;) {
      const w = await next(worksheets.next());
      if (w.done) break;
      const ws = w.value;
      sheets++;
      const wsRows = ws[Symbol.asyncIterator]();
      const rows = { next: () => next(wsRows.next()) };
      if (chosen) {
        while (!(await rows.next()).done);
        continue;
      }
      const name = (ws as unknown as { name?: string }).name ?? `Sheet${sheets}`;
      const head = new Map<number, ExcelJS.Row>();
      let pending: ExcelJS.Row | undefined;
      for (;;) {
        const r = await rows.next();
        if (r.done) break;
        if (r.value.number <= HEAD_ROWS) head.set(r.value.number, r.value);
        else {
          pending = r.value;
          break;
        }
      }
      const view: SheetRows = { row: (r) => head.get(r) };
      let rowObservations: ((row: ExcelJS.Row, out: RawObservation[]) => boolean) | undefined;
      let from = 0;
      const itu = ituLayout(view);
      if (itu) {
        meta.source = 'ITU';
        meta.indicators.push(...itu.indicators.map((i) => i.hint));
        rowObservations = (row, out) => ituRow(row, itu, meta, out);
        from = itu.codeRow + 2;
      } else {
        const tidy = tidyLayout(view);
        if (tidy && 'header' in tidy) {
          rowObservations = (row, out) => tidyRow(row, tidy, meta, out);
          from = tidy.row + 1;
        } else if (tidy) problems.push(`sheet "${name}" row ${tidy.row}: ${tidy.problem}`);
      }
      if (!rowObservations) {
        if (pending) while (!(await rows.next()).done);
        continue;
      }
      chosen = true;
      yield null;
      const batcher = new Batcher(size);
      const out: RawObservation[] = [];
      let stopped = false;
      // Returns a full batch, if the row filled one.
      const take = (row: ExcelJS.Row): RawObservation[][] => {
        if (stopped || row.number < from) return [];
        out.length = 0;
        stopped = !rowObservations(row, out);
        const full: RawObservation[][] = [];
        for (const o of out) {
          const b = batcher.push(o);
          if (b) full.push(b);
        }
        return full;
      };
      for (const r of [...head.keys()].sort((a, b) => a - b)) yield* take(head.get(r) as ExcelJS.Row);
      if (pending) {
        yield* take(pending);
        for (;;) {
          const r = await rows.next();
          if (r.done) break;
          yield* take(r.value);
        }
      }
      const last = batcher.flush();
      if (last) yield last;
    }
  } catch (e) {
    if (sourceError) throw sourceError;
    if (e instanceof PontisError) throw e;
    throw invalid(
      `${src.file} is not a readable XLSX workbook (${e instanceof Error ? e.message : String(e)})`,
      { file: src.file },
    );
  } finally {
    input.destroy();
  }
  if (sourceError) throw sourceError;
  if (sheets === 0) {
    throw invalid(`${src.file} is not a readable XLSX workbook (no worksheet in the archive)`, {
      file: src.file,
    });
  }
  if (!chosen) {
    const detail = problems.length > 0 ? `; ${problems.join('; ')}` : '';
    throw invalid(
      `${src.file}: no worksheet has a tidy header (indicator, geo, period, value) in its first 5 rows or ITU indicator codes such as "(HH1)"${detail}`,
      { file: src.file, line: 1 },
    );
  }
}

/**
 * A zip archive ends with its end-of-central-directory record (22 bytes, plus a comment of up to
 * 64 KiB). A file cut short has none: reported before anything is read. (Only for files on disk as
 * they are; a gzipped one is checked by gunzip as it is read.)
 */
async function checkZipEnd(src: SourceFile): Promise<void> {
  const fh = await open(src.path, 'r');
  try {
    const { size } = await fh.stat();
    const n = Math.min(size, 22 + 65535);
    const tail = Buffer.alloc(n);
    await fh.read(tail, 0, n, size - n);
    if (tail.lastIndexOf(ZIP_END) < 0) {
      throw invalid(
        `${src.file} is not a readable XLSX workbook (no end-of-central-directory record: not a zip archive, or cut short)`,
        { file: src.file },
      );
    }
  } finally {
    await fh.close();
  }
}

const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

// ---- cells ----

/** A cell's value as text; cells covered by a merged range (other than its top-left cell) are empty. */
export function cellText(cell: ExcelJS.Cell): string {
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  return valueText(cell.value).trim();
}

function valueText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('error' in v) return String(v.error);
    if ('result' in v) return valueText(v.result as ExcelJS.CellValue);
    if ('text' in v) return typeof v.text === 'string' ? v.text : valueText(v.text as ExcelJS.CellValue);
  }
  return '';
}

/** Italic cell font, or rich text whose every run is italic. */
function isItalic(cell: ExcelJS.Cell): boolean {
  const v = cell.value;
  if (v && typeof v === 'object' && 'richText' in v && Array.isArray(v.richText) && v.richText.length > 0) {
    if (v.richText.every((r) => r.font?.italic === true)) return true;
  }
  return cell.font?.italic === true;
}

/** The rows kept to choose a worksheet's layout (absent rows are empty). */
interface SheetRows {
  row(r: number): ExcelJS.Row | undefined;
}

function textAt(rows: SheetRows, r: number, c: number): string {
  const row = rows.row(r);
  return row ? cellText(row.getCell(c)) : '';
}

function valueAt(rows: SheetRows, r: number, c: number): string {
  const row = rows.row(r);
  return row ? valueText(row.getCell(c).value).trim() : '';
}

// ---- layout (a): tidy ----

interface TidyLayout {
  row: number;
  header: TidyHeader;
  names: string[];
}

function tidyLayout(rows: SheetRows): TidyLayout | { row: number; problem: string } | undefined {
  let firstProblem: { row: number; problem: string } | undefined;
  for (let r = 1; r <= 5; r++) {
    const row = rows.row(r);
    if (!row) continue;
    const names: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) names.push(cellText(row.getCell(c)));
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    if (names.length === 0) continue;
    const mapped = mapTidyHeader(names);
    if (isTidyHeader(mapped)) return { row: r, header: mapped, names };
    // Only a row that names at least two tidy columns is worth reporting as a broken header.
    if (!firstProblem && mapped.kind !== 'missing')
      firstProblem = { row: r, problem: describeHeaderProblem(mapped, names) };
    else if (!firstProblem && mapped.kind === 'missing' && mapped.fields.length <= 2) {
      firstProblem = { row: r, problem: describeHeaderProblem(mapped, names) };
    }
  }
  return firstProblem;
}

const OPTIONAL: BulkField[] = ['sex', 'area', 'age', 'quintile', 'flags', 'unit'];

/** The observation of a row below the tidy header (none for an empty row; missing counted). */
function tidyRow(row: ExcelJS.Row, t: TidyLayout, meta: ReadMeta, out: RawObservation[]): boolean {
  const idx = t.header.index;
  const text = (i: number | undefined) => (i === undefined ? '' : cellText(row.getCell(i + 1)));
  let any = false;
  for (let c = 1; c <= t.names.length && !any; c++) any = cellText(row.getCell(c)) !== '';
  if (!any) return true;
  const value = text(idx.value);
  if (MISSING.has(value)) {
    meta.missing++;
    return true;
  }
  const obs: RawObservation = {
    line: row.number,
    indicator: text(idx.indicator),
    geo: text(idx.geo),
    period: text(idx.period),
    value,
  };
  for (const f of OPTIONAL) {
    const v = text(idx[f]);
    if (v) (obs as unknown as Record<string, string>)[f] = v;
  }
  t.header.extraColumns.forEach((name, k) => {
    const v = text(t.header.extraIndex[k]);
    if (!v) return;
    obs.breakdown ??= {};
    obs.breakdown[name] = v;
  });
  out.push(obs);
  return true;
}

// ---- layout (b): ITU indicator workbook ----

interface ItuIndicator {
  code: string;
  valueCol: number;
  yearCol: number | undefined;
  hint: IndicatorHint;
}

interface ItuLayout {
  codeRow: number;
  firstCol: number;
  indicators: ItuIndicator[];
}

function ituLayout(rows: SheetRows): ItuLayout | undefined {
  for (let r = 1; r <= 15; r++) {
    const row = rows.row(r);
    if (!row) continue;
    const found: { code: string; col: number }[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const m = ITU_CODE.exec(cellText(row.getCell(c)));
      if (m) found.push({ code: (m[1] ?? m[2]) as string, col: c });
    }
    if (found.length === 0) continue;
    const indicators = found.map((f, k) => {
      const next = found[k + 1]?.col ?? row.cellCount + 1;
      let yearCol: number | undefined;
      for (let c = f.col + 1; c < next && yearCol === undefined; c++) {
        for (let rr = r; rr <= r + 1; rr++) if (/^year\b/i.test(textAt(rows, rr, c))) yearCol = c;
      }
      // The group label above the codes spans several indicators (a merged cell, whose extent the
      // streaming reader does not know yet): the nearest label at or left of the code's column.
      let group = '';
      for (let c = f.col; c >= (found[0]?.col ?? 1) && !group; c--) group = valueAt(rows, r - 1, c);
      const label = valueAt(rows, r + 1, f.col);
      const name = [group, label].filter(Boolean).join(' ');
      const hint: IndicatorHint = name ? { code: f.code, name } : { code: f.code };
      return { code: f.code, valueCol: f.col, yearCol, hint };
    });
    return { codeRow: r, firstCol: found[0]?.col ?? 1, indicators };
  }
  return undefined;
}

/** The observations of an economy's row; false at the notes below the table (the end). */
function ituRow(row: ExcelJS.Row, t: ItuLayout, meta: ReadMeta, out: RawObservation[]): boolean {
  let name = '';
  for (let c = 1; c < t.firstCol && !name; c++) {
    const v = cellText(row.getCell(c));
    if (v && !/^\d+$/.test(v)) name = v;
  }
  if (STOP.test(name)) return false;
  if (!name) return true;
  const geo = countryCode(name);
  for (const ind of t.indicators) {
    const cell = row.getCell(ind.valueCol);
    const raw = cellText(cell);
    if (MISSING.has(raw)) {
      meta.missing++;
      continue;
    }
    const obs: RawObservation = {
      line: row.number,
      indicator: ind.code,
      geo,
      period: ind.yearCol === undefined ? '' : cellText(row.getCell(ind.yearCol)),
      value: ZERO.has(raw) ? '0' : raw,
    };
    if (isItalic(cell)) obs.flags = 'E';
    out.push(obs);
  }
  return true;
}
