import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { JsonFeed, JsonStreamParser, type JsonVisitor, ObservationQueue } from './json-stream.ts';
import { isObject, jsonKind as kind, scalarText } from './json-text.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';

/**
 * World Bank Indicators API v2, `format=json`: a two-element array `[paging, rows]`.
 * paging.lastupdated is the vintage. Each row has indicator{id,value}, country{id,value},
 * countryiso3code, date, value, unit, obs_status. Aggregates have an empty countryiso3code, so the geo
 * falls back to country.id (ISO2 or a World Bank aggregate code such as "1A"). A null value is missing.
 *
 * The response is usually one minified line, so each observation's `line` is the 1-based index of its
 * row in the rows array, not a line of the file.
 *
 * Streamed (json-stream.ts): read() parses up to the start of the rows (the paging object, so vintage,
 * source and an API error response are known when it returns); the rows are then parsed one at a time
 * as the batches are taken, so memory holds a batch, not the file. Malformed JSON after the first
 * batches is thrown by the batch iterator (the store then loads nothing). Elements after the rows
 * are checked and ignored.
 */

export const wbApiJsonReader: Reader = {
  format: 'wb-api-json',
  description: 'World Bank Indicators API v2 JSON ([paging, rows])',
  sniff(head) {
    const t = head.trimStart();
    return t.startsWith('[') && /"per_page"|"lastupdated"/.test(t) && /"countryiso3code"|"indicator"/.test(t);
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const queue = new ObservationQueue(options.batchSize);
    const hints = new Map<string, IndicatorHint>();
    let paging = false;
    // The paging object and the kind of the rows are known: read() returns, rows come as batches.
    let ready = false;
    const notArray = (what: string) =>
      invalid(`${src.file}: expected a JSON array [paging, rows] (World Bank API v2), got ${what}`, {
        file: src.file,
      });
    const notRows = (what: string) =>
      invalid(`${src.file}: the second element should be the array of rows, got ${what}`, {
        file: src.file,
        field: '[1]',
      });
    const visitor: JsonVisitor = {
      enter(path, k) {
        if (path.length === 0) {
          if (k === 'array') return 'descend';
          if (k === 'object') throw notArray('an object');
          return 'capture'; // a scalar: value() reports its kind
        }
        if (path.length === 1) {
          if (path[0] === 0) return 'capture';
          if (path[0] !== 1) return 'skip';
          ready = true;
          if (k === 'array') return 'descend';
          if (k === 'object') throw notRows('an object');
          return 'capture'; // null is an empty result; value() checks
        }
        return 'capture'; // a row
      },
      value(path, v) {
        if (path.length === 0) throw notArray(kind(v));
        if (path.length === 1) {
          if (path[0] === 0) {
            readPaging(src.file, v, meta);
            paging = true;
          } else if (v !== null) throw notRows(kind(v));
          return;
        }
        const obs = observation(v, (path[1] as number) + 1, meta, hints);
        if (obs) queue.push(obs);
      },
      leave(path) {
        if (path.length > 0) return;
        if (!paging) {
          throw invalid(`${src.file}: the first element should be the paging object, got nothing`, {
            file: src.file,
            field: '[0]',
          });
        }
        ready = true;
      },
    };
    const feed = new JsonFeed(src, new JsonStreamParser(src.file, visitor));
    await feed.until(() => ready);
    return { kind: 'stream', meta, batches: queue.batches(feed), close: () => feed.close() };
  },
};

function readPaging(file: string, paging: unknown, meta: ReadMeta): void {
  if (!isObject(paging)) {
    throw invalid(`${file}: the first element should be the paging object, got ${kind(paging)}`, {
      file,
      field: '[0]',
    });
  }
  if ('message' in paging) {
    throw invalid(`${file}: the file is a World Bank API error response: ${apiMessage(paging.message)}`, {
      file,
      field: '[0].message',
    });
  }
  const vintage = scalarText(paging.lastupdated);
  if (vintage) meta.vintage = vintage;
  const source = scalarText(paging.sourcename);
  meta.source = source ? `World Bank: ${source}` : 'World Bank';
}

/** One row as an observation; undefined when its value is missing (counted). */
function observation(
  row: unknown,
  line: number,
  meta: ReadMeta,
  hints: Map<string, IndicatorHint>,
): RawObservation | undefined {
  if (!isObject(row)) {
    // Not an observation: pass it on with empty fields so that the store rejects it with its index.
    return { line, indicator: '', geo: '', period: '', value: scalarText(row) };
  }
  const ind = isObject(row.indicator) ? row.indicator : {};
  const indicator = scalarText(ind.id);
  if (indicator && !hints.has(indicator)) {
    const name = scalarText(ind.value);
    const hint: IndicatorHint = name ? { code: indicator, name } : { code: indicator };
    hints.set(indicator, hint);
    meta.indicators.push(hint);
  }
  if (row.value === null || row.value === undefined || row.value === '') {
    meta.missing++;
    return undefined;
  }
  const country = isObject(row.country) ? row.country : {};
  const geo = scalarText(row.countryiso3code).trim() || scalarText(country.id).trim();
  const obs: RawObservation = {
    line,
    indicator,
    geo,
    period: period(scalarText(row.date)),
    value: scalarText(row.value),
  };
  const status = scalarText(row.obs_status).trim();
  if (status) obs.flags = status;
  const unit = scalarText(row.unit).trim();
  if (unit) obs.unit = unit;
  return obs;
}

/** "2017" stays; the API's quarterly "2017Q1" and monthly "2017M01" become "2017-Q1" and "2017-01". */
function period(date: string): string {
  const d = date.trim();
  const m = /^(\d{4})(?:Q([1-4])|M(\d{2}))$/.exec(d);
  if (!m) return d;
  return m[2] ? `${m[1]}-Q${m[2]}` : `${m[1]}-${m[3]}`;
}

function apiMessage(m: unknown): string {
  if (Array.isArray(m)) return m.map(apiMessage).join('; ');
  if (isObject(m)) return [scalarText(m.key), scalarText(m.value)].filter(Boolean).join(': ') || 'no message';
  return scalarText(m) || 'no message';
}
