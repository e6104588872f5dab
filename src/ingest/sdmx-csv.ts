import { invalid } from '../core/errors.ts';
import type { RawObservation } from '../core/observation.ts';
import { Batcher } from './batches.ts';
import { type CsvRecord, csvRecords, firstLine, splitHeaderLine } from './csv-records.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';
import { dataflowId, type SdmxMapping, timeDimension, toObservation } from './sdmx-components.ts';

/**
 * SDMX-CSV data, version 1.0 (first column DATAFLOW) and 2.0 (STRUCTURE, STRUCTURE_ID, optional
 * STRUCTURE_NAME and ACTION), then one column per component: the dimensions (the time dimension is
 * always the last dimension in SDMX 2.1 / 3.0 structures), OBS_VALUE and the attributes, in any order
 * after the time dimension.
 *
 * Quirks handled:
 *  - Eurostat exports: a non-standard "LAST UPDATE" column (any header that is not a valid SDMX id is
 *    ignored); lower-case ids (`geo`, `freq`); in 2.0 "labels=both" files a label column after every
 *    component column (`freq,Time frequency`), detected by STRUCTURE_NAME; cells holding labels
 *    instead of codes are passed on unchanged (the store rejects what it cannot match).
 *  - 1.0 "labels=both" header cells "FREQ: Frequency" and cells "A: Annual" keep the part before ": ".
 *  - An empty (or "NaN") OBS_VALUE is missing, whatever OBS_STATUS says; it is counted, never read as 0.
 *  - Rows with ACTION "D" (delete) in 2.0 carry no observation and are skipped.
 *  - CRLF line ends and quoted fields with line breaks (line numbers count physical lines).
 * Component mapping (and no UNIT_MULT scaling): see sdmx-components.ts.
 */

const SDMX_ID = /^[A-Za-z][A-Za-z0-9_@$-]*$/;
const LABELLED_HEADER = /^([A-Za-z][A-Za-z0-9_@$-]*): .+$/;

export const sdmxCsvReader: Reader = {
  format: 'sdmx-csv',
  description: 'SDMX-CSV 1.0 (DATAFLOW) / 2.0 (STRUCTURE, STRUCTURE_ID)',
  sniff(head) {
    const line = firstLine(head);
    for (const d of [',', ';', '\t']) {
      const first = (splitHeaderLine(line, d)[0] ?? '').toUpperCase();
      if (first === 'DATAFLOW' || first === 'STRUCTURE' || first.startsWith('DATAFLOW:')) return true;
    }
    return false;
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const line = firstLine(await firstChars(src));
    const delimiter =
      [',', ';', '\t'].find((d) => /^(DATAFLOW|STRUCTURE)\b/i.test(splitHeaderLine(line, d)[0] ?? '')) ?? ',';
    const records = csvRecords(src, { delimiter });
    const first = await records.next();
    if (first.done) throw invalid(`${src.file}: no header line`, { file: src.file, line: 1 });
    const layout = headerLayout(src.file, first.value);
    const meta: ReadMeta = { indicators: [], missing: 0 };
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

interface Layout {
  version: '1.0' | '2.0';
  /** Column index of DATAFLOW (1.0) or STRUCTURE_ID (2.0). */
  flowColumn: number;
  actionColumn: number | undefined;
  valueColumn: number;
  /** Upper-cased component id → column index (label columns and non-SDMX columns excluded). */
  components: Map<string, number>;
  dimensions: string[];
  /** Cells are "CODE: Label" (1.0 labels=both): keep the code. */
  labelledCells: boolean;
}

function headerLayout(file: string, header: CsvRecord): Layout {
  const names = header.fields.map((f) => f.trim());
  const upper = names.map((n) => n.toUpperCase());
  const fail = (reason: string, field?: string) =>
    invalid(
      `${file}:${header.line}: wrong SDMX-CSV header: ${reason} (found columns: ${names.map((n) => `"${n}"`).join(', ')})`,
      {
        file,
        line: header.line,
        field,
      },
    );
  let version: '1.0' | '2.0';
  let flowColumn: number;
  let actionColumn: number | undefined;
  let start: number;
  let pairs = false;
  let labelledCells = false;
  if (upper[0] === 'DATAFLOW' || upper[0]?.startsWith('DATAFLOW:')) {
    version = '1.0';
    flowColumn = 0;
    start = 1;
    labelledCells = upper[0].startsWith('DATAFLOW:');
  } else if (upper[0] === 'STRUCTURE') {
    version = '2.0';
    if (upper[1] !== 'STRUCTURE_ID')
      throw fail('the second column of SDMX-CSV 2.0 must be STRUCTURE_ID', 'STRUCTURE_ID');
    flowColumn = 1;
    start = 2;
    const named = upper[start] === 'STRUCTURE_NAME';
    if (named) start++;
    if (upper[start] === 'ACTION') {
      actionColumn = start;
      start++;
    }
    // Eurostat's labels=both: a label column after each component column. Take it to be so when
    // TIME_PERIOD and OBS_VALUE both sit on the component positions of that pattern.
    pairs =
      named &&
      ['TIME_PERIOD', 'OBS_VALUE'].every((id) => {
        const i = upper.indexOf(id);
        return i >= start && (i - start) % 2 === 0;
      });
  } else {
    throw fail('the first column must be DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0)', names[0]);
  }
  const components = new Map<string, number>();
  const order: string[] = [];
  const step = pairs ? 2 : 1;
  for (let i = start; i < names.length; i += step) {
    const name = names[i] ?? '';
    const labelled = LABELLED_HEADER.exec(name);
    const id = (labelled ? (labelled[1] as string) : name).toUpperCase();
    if (!SDMX_ID.test(id)) continue; // "LAST UPDATE" and other non-SDMX columns
    if (components.has(id)) throw fail(`column ${id} appears twice`, id);
    components.set(id, i);
    order.push(id);
  }
  const valueColumn = components.get('OBS_VALUE');
  if (valueColumn === undefined) throw fail('no OBS_VALUE column', 'OBS_VALUE');
  const time = timeDimension(order);
  if (time === undefined) throw fail('no TIME_PERIOD column', 'TIME_PERIOD');
  const dimensions = order.slice(0, order.indexOf(time) + 1).filter((d) => d !== 'OBS_VALUE');
  return { version, flowColumn, actionColumn, valueColumn, components, dimensions, labelledCells };
}

async function* observations(
  records: AsyncGenerator<CsvRecord>,
  layout: Layout,
  meta: ReadMeta,
  out: Batcher,
): AsyncGenerator<RawObservation[]> {
  const flows = new Map<string, SdmxMapping>();
  const cell = (fields: string[], i: number) => {
    const v = (fields[i] ?? '').trim();
    if (!layout.labelledCells) return v;
    const colon = v.indexOf(': ');
    return colon > 0 ? v.slice(0, colon) : v;
  };
  for await (const { line, fields } of records) {
    if (layout.actionColumn !== undefined && cell(fields, layout.actionColumn).toUpperCase() === 'D')
      continue;
    const value = cell(fields, layout.valueColumn);
    if (value === '' || value.toLowerCase() === 'nan') {
      meta.missing++;
      continue;
    }
    const flowRef = cell(fields, layout.flowColumn);
    let mapping = flows.get(flowRef);
    if (!mapping) {
      mapping = { dimensions: layout.dimensions, dataflow: dataflowId(flowRef) };
      flows.set(flowRef, mapping);
      if (!layout.components.has('INDICATOR') && !layout.components.has('SERIES') && mapping.dataflow) {
        meta.indicators.push({ code: mapping.dataflow });
      }
    }
    const values = new Map<string, string>();
    for (const [id, i] of layout.components) values.set(id, cell(fields, i));
    const full = out.push(toObservation(line, value, mapping, values));
    if (full) yield full;
  }
  const last = out.flush();
  if (last) yield last;
}

/** The first characters of the text, to find the delimiter. */
async function firstChars(src: SourceFile): Promise<string> {
  const text = src.text();
  try {
    for await (const chunk of text) return chunk as string;
  } finally {
    text.destroy();
  }
  return '';
}
