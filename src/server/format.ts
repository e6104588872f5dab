/**
 * Response formats: JSON (default), CSV and SDMX-CSV 1.0, chosen by `?format=` or else the Accept
 * header (text/csv; application/vnd.sdmx.data+csv). A route gives its JSON body and, for the tabular
 * formats, its rows (flat) and, where it has SDMX semantics, its SDMX rows.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.ts';

export const FORMATS = ['json', 'csv', 'sdmx-csv'] as const;
export type Format = (typeof FORMATS)[number];

export const SDMX_CSV_TYPE = 'application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** The query-string schema entry every route with tabular output takes. */
export const formatParam = {
  type: 'string',
  enum: [...FORMATS],
  description: 'json (default), csv or sdmx-csv; or use the Accept header',
} as const;

export type Cell = string | number | boolean | null | undefined | readonly string[];
export type FlatRow = Record<string, Cell>;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : String(v);
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly object[], columns?: readonly string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const lines = [cols.map(csvCell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell((r as Record<string, Cell>)[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** SDMX-CSV 1.0 columns: the dataflow, the dimensions, the observation value and status. */
export const SDMX_COLUMNS = [
  'DATAFLOW',
  'REF_AREA',
  'INDICATOR',
  'TIME_PERIOD',
  'SEX',
  'URBANISATION',
  'AGE',
  'INCOME_WEALTH_QUANTILE',
  'OBS_VALUE',
  'OBS_STATUS',
] as const;
export type SdmxRow = Record<(typeof SDMX_COLUMNS)[number], string | number | null>;

function fromAccept(accept: string | undefined): Format | undefined {
  if (!accept) return undefined;
  const types = accept
    .split(',')
    .map((t) => t.split(';')[0]?.trim().toLowerCase())
    .filter(Boolean);
  for (const t of types) {
    if (t === 'application/vnd.sdmx.data+csv') return 'sdmx-csv';
    if (t === 'text/csv') return 'csv';
    if (t === 'application/json' || t === 'application/*' || t === '*/*') return 'json';
  }
  return undefined;
}

export function requestedFormat(req: FastifyRequest): Format {
  const q = (req.query as { format?: unknown } | undefined)?.format;
  if (typeof q === 'string' && (FORMATS as readonly string[]).includes(q)) return q as Format;
  return fromAccept(req.headers.accept) ?? 'json';
}

export interface Tabular {
  json: unknown;
  rows?: () => readonly object[];
  columns?: readonly string[];
  sdmx?: () => readonly SdmxRow[];
  /** File name stem for downloads (Content-Disposition). */
  name?: string;
}

export function sendTabular(req: FastifyRequest, reply: FastifyReply, t: Tabular): FastifyReply {
  const format = requestedFormat(req);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(t.json);
  const name = (t.name ?? 'pontis').replace(/[^A-Za-z0-9._-]/g, '_');
  if (format === 'csv' && t.rows)
    return reply
      .type(CSV_TYPE)
      .header('content-disposition', `inline; filename="${name}.csv"`)
      .send(toCsv(t.rows(), t.columns));
  if (format === 'sdmx-csv' && t.sdmx)
    return reply
      .type(SDMX_CSV_TYPE)
      .header('content-disposition', `inline; filename="${name}.sdmx.csv"`)
      .send(toCsv(t.sdmx(), SDMX_COLUMNS));
  // Asked for by the Accept header only: answer with JSON (its Content-Type says so).
  if ((req.query as { format?: unknown } | undefined)?.format === undefined)
    return reply.type('application/json; charset=utf-8').send(t.json);
  throw new HttpProblem('invalid-parameter', `this resource is not available as ${format}`, 'format');
}
