/**
 * COINr-style inputs taken as they are: an iData table (one row per unit, or per unit and year when a
 * `Time` column holds several years: a panel) and an iMeta table with the columns
 * Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent, Type.
 * Type `Indicator` and `Aggregate` rows make the tree; `Group` rows name grouping columns;
 * `Denominator` rows name denominator columns. Tables arrive parsed (records of strings): no I/O here.
 */
import { invalid } from '../core/errors.ts';
import type { IndexData, Panel } from './data.ts';
import { makeMatrix } from './matrix.ts';
import type { NodeSpec } from './spec.ts';

export type Row = Readonly<Record<string, string | undefined>>;

export interface CoinrMeta {
  tree: NodeSpec[];
  groups: string[];
  denominators: string[];
}

const numOrNaN = (s: string | undefined): number => {
  if (s === undefined) return Number.NaN;
  const t = s.trim();
  if (t === '' || t === 'NA' || t === 'NaN') return Number.NaN;
  return Number(t);
};

export function metaFromCoinr(iMeta: readonly Row[], file = 'iMeta'): CoinrMeta {
  const tree: NodeSpec[] = [];
  const groups: string[] = [];
  const denominators: string[] = [];
  iMeta.forEach((r, k) => {
    const line = k + 2; // header is line 1
    const type = (r.Type ?? '').trim();
    const code = (r.iCode ?? '').trim();
    if (!code) throw invalid('empty iCode', { file, line, field: 'iCode' });
    if (type === 'Group') groups.push(code);
    else if (type === 'Denominator') denominators.push(code);
    else if (type === 'Indicator' || type === 'Aggregate') {
      const weight = numOrNaN(r.Weight);
      const direction = numOrNaN(r.Direction);
      if (Number.isNaN(weight) || weight < 0) {
        throw invalid(`expected a number ≥ 0, got ${JSON.stringify(r.Weight ?? '')}`, {
          file,
          line,
          field: 'Weight',
        });
      }
      if (type === 'Indicator' && direction !== 1 && direction !== -1) {
        throw invalid(`expected 1 or -1, got ${JSON.stringify(r.Direction ?? '')}`, {
          file,
          line,
          field: 'Direction',
        });
      }
      const target = numOrNaN(r.Target);
      const parent = (r.Parent ?? '').trim();
      const den = (r.Denominator ?? '').trim();
      tree.push({
        code,
        ...(r.iName ? { name: r.iName } : {}),
        parent: parent || null,
        weight,
        direction: direction === -1 ? -1 : 1,
        denominatorScale: 1,
        ...(den ? { denominator: den } : {}),
        ...(Number.isNaN(target) ? {} : { target }),
        ...(r.Unit ? { unit: r.Unit } : {}),
      });
    } else if (type !== '') {
      throw invalid(`unknown Type "${type}" (expected Indicator, Aggregate, Group, Denominator)`, {
        file,
        line,
        field: 'Type',
      });
    }
  });
  return { tree, groups, denominators };
}

export interface DataOptions {
  /** Column with the unit code (default uCode). */
  id?: string;
  name?: string;
  /** Numeric columns to read (indicators and denominators). */
  columns: readonly string[];
  groups?: readonly string[];
  /** For a panel: the year to build the index for (default the latest). */
  year?: number;
  file?: string;
}

export function dataFromCoinr(iData: readonly Row[], opts: DataOptions): IndexData {
  const id = opts.id ?? 'uCode';
  const file = opts.file ?? 'iData';
  const first = iData[0];
  if (!first) throw invalid('no rows', { file });
  if (!(id in first)) throw invalid(`no unit code column "${id}"`, { file, line: 1, field: id });
  for (const c of opts.columns)
    if (!(c in first)) throw invalid(`column "${c}" is missing`, { file, line: 1, field: c });
  const years =
    'Time' in first
      ? [...new Set(iData.map((r) => numOrNaN(r.Time)))].filter((y) => !Number.isNaN(y)).sort((a, b) => a - b)
      : [];
  const units: string[] = [];
  const seen = new Map<string, number>();
  iData.forEach((r) => {
    const u = (r[id] ?? '').trim();
    if (!seen.has(u)) {
      seen.set(u, units.length);
      units.push(u);
    }
  });
  const build = (rows: readonly Row[], lineOf: (r: Row) => number) => {
    const m = makeMatrix(units, opts.columns);
    const n = units.length;
    rows.forEach((r) => {
      const i = seen.get((r[id] ?? '').trim()) as number;
      opts.columns.forEach((c, j) => {
        const v = numOrNaN(r[c]);
        const s = (r[c] ?? '').trim();
        if (Number.isNaN(v) && s !== '' && s !== 'NA' && s !== 'NaN') {
          throw invalid(`expected a number, got ${JSON.stringify(s)}`, { file, line: lineOf(r), field: c });
        }
        m.data[j * n + i] = v;
      });
    });
    return m;
  };
  const lineOf = (r: Row) => iData.indexOf(r) + 2;
  const multi = years.length > 1;
  const year = opts.year ?? (years.length ? (years[years.length - 1] as number) : undefined);
  const rowsFor = (y: number) => iData.filter((r) => numOrNaN(r.Time) === y);
  const values = multi && year !== undefined ? build(rowsFor(year), lineOf) : build(iData, lineOf);
  const panel: Panel | undefined = multi
    ? { years, slices: years.map((y) => build(rowsFor(y), lineOf)) }
    : undefined;
  const source = multi && year !== undefined ? rowsFor(year) : iData;
  const byUnit = new Map(source.map((r) => [(r[id] ?? '').trim(), r]));
  const groups: Record<string, (string | null)[]> = {};
  for (const g of opts.groups ?? []) {
    groups[g] = units.map((u) => {
      const v = (byUnit.get(u)?.[g] ?? '').trim();
      return v === '' || v === 'NA' ? null : v;
    });
  }
  const names = opts.name ? units.map((u) => (byUnit.get(u)?.[opts.name as string] ?? u).trim()) : undefined;
  return { values, ...(names ? { names } : {}), groups, ...(panel ? { panel } : {}) };
}
