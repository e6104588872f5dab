import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { JsonFeed, JsonStreamParser, type JsonVisitor, ObservationQueue } from './json-stream.ts';
import { isObject, type Json, type JsonObject, jsonKind, scalarText } from './json-text.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';

/**
 * UN SDG Global Database API, `/v1/sdg/Series/Data` (and `/v1/sdg/Indicator/Data`) JSON:
 * `{size, totalElements, totalPages, pageNumber, attributes, dimensions, data: [...]}`. Each record has
 * series, seriesDescription, geoAreaCode (M49, unpadded), timePeriodStart (a number, e.g. 2015.0),
 * value (a string), attributes {Nature, Units} and dimensions {Sex, Age, Location, Quantile, …}.
 *
 * Mapping: Sex → sex, Location → area (the store normalises BOTHSEX/FEMALE/MALE and
 * ALLAREA/URBAN/RURAL), Age → age (the API's "15-24", "15+", "<5", "ALLAGE" become the SDMX codes
 * Y15T24, Y_GE15, Y_LT5, _T), Quantile → quintile, any other dimension → breakdown under an upper-case
 * key ("Type of speed" → TYPE_OF_SPEED). A dimension value "NA" (not applicable) is dropped.
 * Nature (C, CA, E, M, N, …) → flags; Units → unit. geoAreaCode is zero-padded to three digits, as
 * M49 codes are written elsewhere in Pontis. A null, empty or "NaN" value is missing.
 * `line` is the 1-based index of the record in `data`. A top-level array of records is read too.
 *
 * Streamed (json-stream.ts): read() parses up to the start of `data` (other top-level members are
 * checked and skipped, whether they come before or after it); the records are then parsed one at a
 * time as the batches are taken. A `data` that is missing, not an array, or given twice is an error.
 */

const DIMENSION_FIELDS: Record<string, 'sex' | 'area' | 'age' | 'quintile'> = {
  sex: 'sex',
  location: 'area',
  age: 'age',
  quantile: 'quintile',
};

export const unsdgJsonReader: Reader = {
  format: 'unsdg-json',
  description: 'UN SDG Global Database API JSON (/v1/sdg/Series/Data)',
  sniff(head) {
    const t = head.trimStart();
    return (
      (t.startsWith('{') || t.startsWith('[')) &&
      t.includes('"geoAreaCode"') &&
      /"timePeriodStart"|"seriesDescription"/.test(t)
    );
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const meta: ReadMeta = { indicators: [], missing: 0, source: 'UN SDG Global Database' };
    const queue = new ObservationQueue(options.batchSize);
    const hints = new Map<string, IndicatorHint>();
    let rootIsArray = false;
    let data = false;
    // The records have started (or the text has ended): read() returns, records come as batches.
    let ready = false;
    const shape = (what: string) =>
      invalid(`${src.file}: expected a UN SDG API response {…, "data": [records]}, but ${what}`, {
        file: src.file,
        field: 'data',
      });
    const record = (v: Json, index: number) => {
      const obs = observation(v, index + 1, meta, hints);
      if (obs) queue.push(obs);
    };
    const visitor: JsonVisitor = {
      enter(path, k) {
        if (path.length === 0) {
          rootIsArray = k === 'array';
          ready = rootIsArray;
          return k === 'scalar' ? 'capture' : 'descend';
        }
        if (path.length === 1 && !rootIsArray) {
          if (path[0] !== 'data') return 'skip';
          if (data) throw shape('"data" appears twice');
          data = true;
          ready = true;
          if (k === 'array') return 'descend';
          if (k === 'object') throw shape('"data" is an object');
        }
        return 'capture';
      },
      value(path, v) {
        if (path.length === 0) throw shape(`the top level is ${jsonKind(v)}`);
        if (rootIsArray) record(v, path[0] as number);
        else if (path.length === 1) throw shape(`"data" is ${jsonKind(v)}`);
        else record(v, path[1] as number);
      },
      leave(path) {
        if (path.length > 0) return;
        if (!rootIsArray && !data) throw shape('"data" is missing');
        ready = true;
      },
    };
    const feed = new JsonFeed(src, new JsonStreamParser(src.file, visitor));
    await feed.until(() => ready);
    return { kind: 'stream', meta, batches: queue.batches(feed), close: () => feed.close() };
  },
};

/** One record as an observation; undefined when its value is missing (counted). */
function observation(
  rec: unknown,
  line: number,
  meta: ReadMeta,
  hints: Map<string, IndicatorHint>,
): RawObservation | undefined {
  if (!isObject(rec)) return { line, indicator: '', geo: '', period: '', value: scalarText(rec) };
  const attributes: JsonObject = isObject(rec.attributes) ? rec.attributes : {};
  const indicator = scalarText(rec.series).trim();
  const unit = scalarText(attributes.Units).trim();
  if (indicator && !hints.has(indicator)) {
    const hint: IndicatorHint = { code: indicator };
    const name = scalarText(rec.seriesDescription).trim();
    if (name) hint.name = name;
    if (unit) hint.unit = unit;
    hints.set(indicator, hint);
    meta.indicators.push(hint);
  }
  const value = scalarText(rec.value).trim();
  if (value === '' || value.toLowerCase() === 'nan') {
    meta.missing++;
    return undefined;
  }
  const obs: RawObservation = {
    line,
    indicator,
    geo: m49(scalarText(rec.geoAreaCode)),
    period: period(rec.timePeriodStart),
    value,
  };
  const nature = scalarText(attributes.Nature).trim();
  if (nature) obs.flags = nature;
  if (unit) obs.unit = unit;
  if (isObject(rec.dimensions)) {
    for (const [name, raw] of Object.entries(rec.dimensions)) {
      const v = scalarText(raw).trim();
      if (v === '' || v === 'NA') continue;
      const field = DIMENSION_FIELDS[name.trim().toLowerCase()];
      if (field === 'age') obs.age = sdgAge(v);
      else if (field) obs[field] = v;
      else {
        obs.breakdown ??= {};
        obs.breakdown[breakdownKey(name)] = v;
      }
    }
  }
  return obs;
}

/** 2015 and 2015.0 → "2015"; anything else as text. */
function period(v: unknown): string {
  if (typeof v === 'number') return String(v);
  const s = scalarText(v).trim();
  const m = /^(\d{4})\.0+$/.exec(s);
  return m ? (m[1] as string) : s;
}

/** M49 codes are three digits ("4" → "004"); anything else is passed on as written. */
function m49(code: string): string {
  const c = code.trim();
  return /^\d{1,2}$/.test(c) ? c.padStart(3, '0') : c;
}

/** The SDG API's age labels as SDMX AGE codes; unknown labels pass through for the store to judge. */
export function sdgAge(label: string): string {
  const a = label.replace(/\s+/g, '');
  if (/^(ALLAGE|ALLAGES|_T)$/i.test(a)) return '_T';
  let m = /^(\d+)-(\d+)$/.exec(a);
  if (m) return `Y${m[1]}T${m[2]}`;
  m = /^(\d+)\+$/.exec(a);
  if (m) return `Y_GE${m[1]}`;
  m = /^<(\d+)$/.exec(a);
  if (m) return `Y_LT${m[1]}`;
  return label;
}

export function breakdownKey(name: string): string {
  return name
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
