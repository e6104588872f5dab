import ExcelJS from 'exceljs';
import { invalid, PontisError } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { batchedSync } from './batches.ts';
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
 */

const ITU_CODE = /^\(\s*([A-Z]{1,5}\d{1,3}[a-z]?)\s*\)$|^(HH\d{1,2}[a-z]?)$/;
const MISSING = new Set(['', '...', '..', '…']);
const ZERO = new Set(['-', '–', '—']);
const STOP = /^(notes?|sources?)\s*:?$/i;

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
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.read(src.bytes());
    } catch (e) {
      if (e instanceof PontisError) throw e;
      throw invalid(
        `${src.file} is not a readable XLSX workbook (${e instanceof Error ? e.message : String(e)})`,
        {
          file: src.file,
        },
      );
    }
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const problems: string[] = [];
    for (const ws of wb.worksheets) {
      const itu = ituLayout(ws);
      if (itu) {
        meta.source = 'ITU';
        meta.indicators.push(...itu.indicators.map((i) => i.hint));
        return {
          kind: 'stream',
          meta,
          batches: batchedSync(ituObservations(ws, itu, meta), options.batchSize),
        };
      }
      const tidy = tidyLayout(ws);
      if (tidy && 'header' in tidy) {
        return {
          kind: 'stream',
          meta,
          batches: batchedSync(tidyObservations(ws, tidy, meta), options.batchSize),
        };
      }
      if (tidy) problems.push(`sheet "${ws.name}" row ${tidy.row}: ${tidy.problem}`);
    }
    const detail = problems.length > 0 ? `; ${problems.join('; ')}` : '';
    throw invalid(
      `${src.file}: no worksheet has a tidy header (indicator, geo, period, value) in its first 5 rows or ITU indicator codes such as "(HH1)"${detail}`,
      { file: src.file, line: 1 },
    );
  },
};

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

// ---- layout (a): tidy ----

interface TidyLayout {
  row: number;
  header: TidyHeader;
  names: string[];
}

function tidyLayout(ws: ExcelJS.Worksheet): TidyLayout | { row: number; problem: string } | undefined {
  let firstProblem: { row: number; problem: string } | undefined;
  for (let r = 1; r <= Math.min(5, ws.rowCount); r++) {
    const row = ws.getRow(r);
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

function* tidyObservations(ws: ExcelJS.Worksheet, t: TidyLayout, meta: ReadMeta): Generator<RawObservation> {
  const idx = t.header.index;
  const optional: BulkField[] = ['sex', 'area', 'age', 'quintile', 'flags', 'unit'];
  for (let r = t.row + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const text = (i: number | undefined) => (i === undefined ? '' : cellText(row.getCell(i + 1)));
    let any = false;
    for (let c = 1; c <= t.names.length && !any; c++) any = cellText(row.getCell(c)) !== '';
    if (!any) continue;
    const value = text(idx.value);
    if (MISSING.has(value)) {
      meta.missing++;
      continue;
    }
    const obs: RawObservation = {
      line: r,
      indicator: text(idx.indicator),
      geo: text(idx.geo),
      period: text(idx.period),
      value,
    };
    for (const f of optional) {
      const v = text(idx[f]);
      if (v) (obs as unknown as Record<string, string>)[f] = v;
    }
    t.header.extraColumns.forEach((name, k) => {
      const v = text(t.header.extraIndex[k]);
      if (!v) return;
      obs.breakdown ??= {};
      obs.breakdown[name] = v;
    });
    yield obs;
  }
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

function ituLayout(ws: ExcelJS.Worksheet): ItuLayout | undefined {
  for (let r = 1; r <= Math.min(15, ws.rowCount); r++) {
    const row = ws.getRow(r);
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
        for (let rr = r; rr <= r + 1; rr++) if (/^year\b/i.test(cellText(ws.getCell(rr, c)))) yearCol = c;
      }
      const group = valueText(ws.getCell(r - 1, f.col).value).trim();
      const label = valueText(ws.getCell(r + 1, f.col).value).trim();
      const name = [group, label].filter(Boolean).join(' ');
      const hint: IndicatorHint = name ? { code: f.code, name } : { code: f.code };
      return { code: f.code, valueCol: f.col, yearCol, hint };
    });
    return { codeRow: r, firstCol: found[0]?.col ?? 1, indicators };
  }
  return undefined;
}

function* ituObservations(ws: ExcelJS.Worksheet, t: ItuLayout, meta: ReadMeta): Generator<RawObservation> {
  for (let r = t.codeRow + 2; r <= ws.rowCount; r++) {
    let name = '';
    for (let c = 1; c < t.firstCol && !name; c++) {
      const v = cellText(ws.getCell(r, c));
      if (v && !/^\d+$/.test(v)) name = v;
    }
    if (STOP.test(name)) break;
    if (!name) continue;
    const geo = countryCode(name);
    for (const ind of t.indicators) {
      const cell = ws.getCell(r, ind.valueCol);
      const raw = cellText(cell);
      if (MISSING.has(raw)) {
        meta.missing++;
        continue;
      }
      const obs: RawObservation = {
        line: r,
        indicator: ind.code,
        geo,
        period: ind.yearCol === undefined ? '' : cellText(ws.getCell(r, ind.yearCol)),
        value: ZERO.has(raw) ? '0' : raw,
      };
      if (isItalic(cell)) obs.flags = 'E';
      yield obs;
    }
  }
}
