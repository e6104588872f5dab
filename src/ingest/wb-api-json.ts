import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { batchedSync } from './batches.ts';
import { isObject, jsonKind as kind, readJson, scalarText } from './json-text.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';

/**
 * World Bank Indicators API v2, `format=json`: a two-element array `[paging, rows]`.
 * paging.lastupdated is the vintage. Each row has indicator{id,value}, country{id,value},
 * countryiso3code, date, value, unit, obs_status. Aggregates have an empty countryiso3code, so the geo
 * falls back to country.id (ISO2 or a World Bank aggregate code such as "1A"). A null value is missing.
 *
 * The response is usually one minified line, so each observation's `line` is the 1-based index of its
 * row in the rows array, not a line of the file.
 */

export const wbApiJsonReader: Reader = {
  format: 'wb-api-json',
  description: 'World Bank Indicators API v2 JSON ([paging, rows])',
  sniff(head) {
    const t = head.trimStart();
    return t.startsWith('[') && /"per_page"|"lastupdated"/.test(t) && /"countryiso3code"|"indicator"/.test(t);
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const doc = await readJson(src);
    if (!Array.isArray(doc)) {
      throw invalid(
        `${src.file}: expected a JSON array [paging, rows] (World Bank API v2), got ${kind(doc)}`,
        {
          file: src.file,
        },
      );
    }
    const paging = doc[0];
    if (!isObject(paging)) {
      throw invalid(`${src.file}: the first element should be the paging object, got ${kind(paging)}`, {
        file: src.file,
        field: '[0]',
      });
    }
    if ('message' in paging) {
      throw invalid(
        `${src.file}: the file is a World Bank API error response: ${apiMessage(paging.message)}`,
        {
          file: src.file,
          field: '[0].message',
        },
      );
    }
    const rows = doc[1] ?? null;
    if (rows !== null && !Array.isArray(rows)) {
      throw invalid(`${src.file}: the second element should be the array of rows, got ${kind(rows)}`, {
        file: src.file,
        field: '[1]',
      });
    }
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const vintage = scalarText(paging.lastupdated);
    if (vintage) meta.vintage = vintage;
    const source = scalarText(paging.sourcename);
    meta.source = source ? `World Bank: ${source}` : 'World Bank';
    return { kind: 'stream', meta, batches: batchedSync(observations(rows ?? [], meta), options.batchSize) };
  },
};

function* observations(rows: unknown[], meta: ReadMeta): Generator<RawObservation> {
  const hints = new Map<string, IndicatorHint>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const line = i + 1; // 1-based index of the row in the rows array
    if (!isObject(row)) {
      // Not an observation: pass it on with empty fields so that the store rejects it with its index.
      yield { line, indicator: '', geo: '', period: '', value: scalarText(row) };
      continue;
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
      continue;
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
    yield obs;
  }
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
