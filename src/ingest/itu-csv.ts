import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { Batcher } from './batches.ts';
import { type CsvRecord, csvRecords, firstLine, splitHeaderLine } from './csv-records.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';

/**
 * ITU DataHub CSV export: seriesID, seriesCode, seriesName, seriesParent, seriesUnits, entityID,
 * entityIso, entityName, dataValue, dataYear, dataNote, dataSource, seriesDescription.
 * One record per value. Quirks: BOM; quoted fields with embedded CRLF line breaks inside LF records;
 * no final newline; dataValue in scientific notation with a three-digit exponent ("1.91018e+006"),
 * passed on as written (DuckDB's CAST to DOUBLE reads it: checked, 1.91018e+006 → 1910180).
 * A dataSource starting "ITU estimate" marks an ITU estimate → flags "E". ITU's code WBG (West Bank
 * and Gaza) is ISO PSE. An empty dataValue is missing.
 */

const REQUIRED = ['seriesCode', 'entityIso', 'dataValue', 'dataYear'] as const;
const ITU_TO_ISO: Record<string, string> = { WBG: 'PSE' };

export const ituCsvReader: Reader = {
  format: 'itu-csv',
  description: 'ITU DataHub CSV export (seriesCode, entityIso, dataValue, dataYear, …)',
  sniff(head) {
    const names = splitHeaderLine(firstLine(head), ',').map((n) => n.toLowerCase());
    return REQUIRED.every((r) => names.includes(r.toLowerCase()));
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const records = csvRecords(src);
    const first = await records.next();
    if (first.done) throw invalid(`${src.file}: no header line`, { file: src.file, line: 1 });
    const names = first.value.fields.map((f) => f.trim());
    const lower = names.map((n) => n.toLowerCase());
    const col = (name: string) => lower.indexOf(name.toLowerCase());
    const missing = REQUIRED.filter((r) => col(r) < 0);
    if (missing.length > 0) {
      await records.return(undefined);
      throw invalid(
        `${src.file}:${first.value.line}: wrong header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found columns: ${names.map((n) => `"${n}"`).join(', ')}); is this an ITU DataHub export?`,
        { file: src.file, line: first.value.line, field: missing.join(',') },
      );
    }
    const layout: ItuLayout = {
      series: col('seriesCode'),
      name: col('seriesName'),
      units: col('seriesUnits'),
      iso: col('entityIso'),
      value: col('dataValue'),
      year: col('dataYear'),
      source: col('dataSource'),
    };
    const meta: ReadMeta = { indicators: [], missing: 0, source: 'ITU DataHub' };
    return {
      kind: 'stream',
      meta,
      batches: observations(records, layout, meta, new Batcher(options.batchSize)),
      close: async () => {
        await records.return(undefined);
      },
    };
  },
};

interface ItuLayout {
  series: number;
  name: number;
  units: number;
  iso: number;
  value: number;
  year: number;
  source: number;
}

async function* observations(
  records: AsyncGenerator<CsvRecord>,
  c: ItuLayout,
  meta: ReadMeta,
  out: Batcher,
): AsyncGenerator<RawObservation[]> {
  const hints = new Map<string, IndicatorHint>();
  const get = (fields: string[], i: number) => (i < 0 ? '' : (fields[i] ?? '').trim());
  for await (const { line, fields } of records) {
    const indicator = get(fields, c.series);
    const unit = get(fields, c.units);
    if (indicator && !hints.has(indicator)) {
      const hint: IndicatorHint = { code: indicator };
      const name = get(fields, c.name);
      if (name) hint.name = name;
      if (unit) hint.unit = unit;
      hints.set(indicator, hint);
      meta.indicators.push(hint);
    }
    const value = get(fields, c.value);
    if (value === '') {
      meta.missing++;
      continue;
    }
    const iso = get(fields, c.iso);
    const obs: RawObservation = {
      line,
      indicator,
      geo: ITU_TO_ISO[iso.toUpperCase()] ?? iso,
      period: get(fields, c.year),
      value,
    };
    if (/^ITU estimate/i.test(get(fields, c.source))) obs.flags = 'E';
    if (unit) obs.unit = unit;
    const full = out.push(obs);
    if (full) yield full;
  }
  const last = out.flush();
  if (last) yield last;
}
