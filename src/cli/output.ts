/**
 * Listings are printed as an aligned text table (default), JSON (--json) or CSV (--csv).
 * Every listing command goes through `emit`, so the three forms stay consistent.
 */

export type OutputFormat = 'table' | 'json' | 'csv';

export interface OutputOptions {
  json?: boolean;
  csv?: boolean;
}

export function outputFormat(o: OutputOptions): OutputFormat {
  if (o.json && o.csv) return 'json';
  return o.json ? 'json' : o.csv ? 'csv' : 'table';
}

export type Cell = unknown;
/** Any plain object whose values are strings, numbers, booleans, null or string arrays. */
export type Row = object;

const get = (r: Row, c: string): Cell => (r as Record<string, unknown>)[c];

export interface EmitOptions {
  /** Column order; defaults to the keys of the first row. */
  columns?: string[];
  /** Extra top-level fields for JSON output (e.g. method, coverage). */
  meta?: Record<string, unknown>;
  /** A line printed under the table (not in JSON/CSV). */
  footer?: string;
}

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly Row[], columns: string[]): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(get(r, c))).join(','));
  return `${lines.join('\n')}\n`;
}

function textCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function toTable(rows: readonly Row[], columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => textCell(get(r, c))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = columns.map(
    (c) => rows.length > 0 && rows.every((r) => get(r, c) == null || typeof get(r, c) === 'number'),
  );
  const fmt = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(columns), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n') + '\n';
}

export function render(rows: readonly Row[], format: OutputFormat, opts: EmitOptions = {}): string {
  const columns = opts.columns ?? Object.keys(rows[0] ?? {});
  switch (format) {
    case 'json':
      return `${JSON.stringify(opts.meta ? { ...opts.meta, rows } : rows, null, 2)}\n`;
    case 'csv':
      return toCsv(rows, columns);
    case 'table':
      return rows.length === 0
        ? `(no rows)\n${opts.footer ? `${opts.footer}\n` : ''}`
        : toTable(rows, columns) + (opts.footer ? `${opts.footer}\n` : '');
  }
}

export function emit(rows: readonly Row[], o: OutputOptions, opts: EmitOptions = {}): void {
  process.stdout.write(render(rows, outputFormat(o), opts));
}
