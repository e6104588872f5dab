import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { Batcher } from './batches.ts';
import { type CsvRecord, csvRecords } from './csv-records.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';

/**
 * World Bank wide CSV, years as columns: `Country Name, Country Code, Indicator Name, Indicator Code,
 * 1960, 1961, …`. Two layouts share it:
 *  - the per-indicator download from data.worldbank.org (`API_<code>_DS2_en_csv_v2.csv`): BOM, a
 *    preamble ("Data Source", "Last Updated Date") before the header, every field quoted, a trailing
 *    comma on every line (an empty last column);
 *  - the bulk WDICSV.csv: no preamble, unquoted, many indicators.
 * Each non-empty cell is one observation; an empty cell (or DataBank's "..") is missing and counted.
 * "0" is a real value.
 */

const KEY_COLUMNS = ['country name', 'country code', 'indicator name', 'indicator code'];
/** The header must appear within this many records (the preamble is 2 records plus blank lines). */
const MAX_PREAMBLE_RECORDS = 10;
/** "1960", or DataBank's "1960 [YR1960]". */
const YEAR_COLUMN = /^(\d{4})(?: \[YR\d{4}\])?$/;

export const wdiCsvReader: Reader = {
  format: 'wdi-csv',
  description:
    'World Bank wide CSV (WDI layout: Country Name, Country Code, Indicator Name, Indicator Code, years)',
  sniff(head) {
    const lines = head.split(/\r\n|\n|\r/, MAX_PREAMBLE_RECORDS + 2);
    return lines.some((l) => isHeader(l.split(',').map(unquote)));
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const records = csvRecords(src);
    const header = await findHeader(src, records, meta);
    const years: { index: number; period: string }[] = [];
    header.fields.forEach((name, i) => {
      if (i < KEY_COLUMNS.length) return;
      const n = name.trim();
      const m = YEAR_COLUMN.exec(n);
      if (m) years.push({ index: i, period: m[1] as string });
      else if (n !== '') {
        throw invalid(
          `${src.file}:${header.line}: column ${i + 1} "${n}" is not a year; after the four key columns every column must be a year`,
          { file: src.file, line: header.line, field: n },
        );
      }
    });
    if (years.length === 0) {
      throw invalid(`${src.file}:${header.line}: the header has no year columns`, {
        file: src.file,
        line: header.line,
      });
    }
    return {
      kind: 'stream',
      meta,
      batches: observations(records, years, meta, new Batcher(options.batchSize)),
      close: async () => {
        await records.return(undefined);
      },
    };
  },
};

async function findHeader(src: SourceFile, records: AsyncGenerator<CsvRecord>, meta: ReadMeta) {
  let n = 0;
  for (;;) {
    const next = await records.next();
    if (next.done) break;
    const rec = next.value;
    if (isHeader(rec.fields)) return rec;
    const key = (rec.fields[0] ?? '').trim().toLowerCase();
    const val = (rec.fields[1] ?? '').trim();
    if (key === 'last updated date' && val) meta.vintage = val;
    if (key === 'data source' && val) meta.source = val;
    if (++n >= MAX_PREAMBLE_RECORDS) break;
  }
  await records.return(undefined);
  throw invalid(
    `${src.file}: no header row "Country Name, Country Code, Indicator Name, Indicator Code, <years>" in the first ${MAX_PREAMBLE_RECORDS} lines; is this a World Bank wide CSV?`,
    { file: src.file },
  );
}

async function* observations(
  records: AsyncGenerator<CsvRecord>,
  years: { index: number; period: string }[],
  meta: ReadMeta,
  out: Batcher,
): AsyncGenerator<RawObservation[]> {
  const hints = new Map<string, IndicatorHint>();
  for await (const { line, fields } of records) {
    const geo = (fields[1] ?? '').trim();
    const indicator = (fields[3] ?? '').trim();
    if (indicator && !hints.has(indicator)) {
      const name = (fields[2] ?? '').trim();
      const hint: IndicatorHint = name ? { code: indicator, name } : { code: indicator };
      hints.set(indicator, hint);
      meta.indicators.push(hint);
    }
    for (const { index, period } of years) {
      const value = (fields[index] ?? '').trim();
      if (value === '' || value === '..') {
        meta.missing++;
        continue;
      }
      const full = out.push({ line, indicator, geo, period, value });
      if (full) yield full;
    }
  }
  const last = out.flush();
  if (last) yield last;
}

function isHeader(fields: string[]): boolean {
  return KEY_COLUMNS.every((k, i) => (fields[i] ?? '').trim().toLowerCase() === k);
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}
