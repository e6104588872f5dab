import type { BulkField } from './reader.ts';

/**
 * The columns of Pontis's tidy long layout and the aliases accepted for them (case-insensitive).
 * Shared by the tidy CSV reader and the tidy layout of the XLSX reader.
 */
export const REQUIRED_FIELDS = ['indicator', 'geo', 'period', 'value'] as const;

const ALIASES: Record<string, BulkField> = {
  indicator: 'indicator',
  indicator_code: 'indicator',
  series: 'indicator',
  series_code: 'indicator',
  geo: 'geo',
  iso3: 'geo',
  country_code: 'geo',
  ref_area: 'geo',
  geo_code: 'geo',
  period: 'period',
  year: 'period',
  time: 'period',
  time_period: 'period',
  value: 'value',
  obs_value: 'value',
  sex: 'sex',
  area: 'area',
  urbanisation: 'area',
  age: 'age',
  quintile: 'quintile',
  income_wealth_quantile: 'quintile',
  flags: 'flags',
  obs_status: 'flags',
  unit: 'unit',
};

/** The Pontis field a column name stands for, if any. */
export function tidyField(column: string): BulkField | undefined {
  return ALIASES[column.trim().toLowerCase()];
}

export interface TidyHeader {
  columns: Partial<Record<BulkField, string>>;
  /** Index of each mapped field's column. */
  index: Partial<Record<BulkField, number>>;
  extraColumns: string[];
  extraIndex: number[];
}

export type TidyHeaderProblem =
  | { kind: 'missing'; fields: string[] }
  | { kind: 'duplicate'; names: string[] }
  | { kind: 'same-field'; field: BulkField; names: string[] }
  | { kind: 'unnamed'; position: number };

/** Map a header row to Pontis fields, or say what is wrong with it. */
export function mapTidyHeader(names: string[]): TidyHeader | TidyHeaderProblem {
  const seen = new Map<string, string>();
  const dups: string[] = [];
  for (const n of names) {
    const k = n.trim().toLowerCase();
    if (seen.has(k)) dups.push(n.trim());
    seen.set(k, n);
  }
  if (dups.length > 0) return { kind: 'duplicate', names: [...new Set(dups)] };
  const columns: Partial<Record<BulkField, string>> = {};
  const index: Partial<Record<BulkField, number>> = {};
  const extraColumns: string[] = [];
  const extraIndex: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = (names[i] ?? '').trim();
    const field = tidyField(name);
    if (field) {
      const prev = columns[field];
      if (prev !== undefined) return { kind: 'same-field', field, names: [prev, name] };
      columns[field] = name;
      index[field] = i;
    } else if (name === '') {
      // A trailing delimiter leaves an unnamed last column: ignore it. Elsewhere it is an error.
      if (i !== names.length - 1) return { kind: 'unnamed', position: i + 1 };
    } else {
      extraColumns.push(name);
      extraIndex.push(i);
    }
  }
  const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length > 0) return { kind: 'missing', fields: [...missing] };
  return { columns, index, extraColumns, extraIndex };
}

export function isTidyHeader(h: TidyHeader | TidyHeaderProblem): h is TidyHeader {
  return 'columns' in h;
}

/** A sentence explaining a header problem, listing the columns found. */
export function describeHeaderProblem(p: TidyHeaderProblem, found: string[]): string {
  const list = found.map((f) => `"${f}"`).join(', ');
  switch (p.kind) {
    case 'missing':
      return `missing required column${p.fields.length > 1 ? 's' : ''} ${p.fields.join(', ')} (found columns: ${list}); a tidy file needs indicator, geo, period and value`;
    case 'duplicate':
      return `duplicate column name${p.names.length > 1 ? 's' : ''} ${p.names.map((n) => `"${n}"`).join(', ')} (found columns: ${list})`;
    case 'same-field':
      return `columns "${p.names[0]}" and "${p.names[1]}" both mean ${p.field}; keep one (found columns: ${list})`;
    case 'unnamed':
      return `column ${p.position} has no name (found columns: ${list})`;
  }
}
