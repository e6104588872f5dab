/** Parquet/CSV export of series, and whole-store export and rebuild. */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { invalid } from '../core/errors.ts';
import { resolveIndicator } from './queries.ts';
import { Store } from './store.ts';
import { sqlString } from './validate.ts';

export interface ExportOptions {
  indicators: string[];
  out: string;
  geo?: string[];
  from?: number;
  to?: number;
}

/** Writes the observations in force for the indicators, with their dataset vintage, to .parquet or .csv. */
export async function exportSeries(store: Store, o: ExportOptions): Promise<{ rows: number; file: string }> {
  const ext = extname(o.out).toLowerCase();
  if (ext !== '.parquet' && ext !== '.csv')
    throw invalid(`output must end in .parquet or .csv, got ${o.out}`, { field: 'out' });
  if (o.indicators.length === 0) throw invalid('give at least one indicator', { field: 'indicator' });
  const codes: string[] = [];
  for (const i of o.indicators) codes.push((await resolveIndicator(store, i)).code);
  const out = resolve(o.out);
  mkdirSync(dirname(out), { recursive: true });
  const list = [...new Set(codes)].map(sqlString).join(', ');
  const geoFilter = o.geo?.length ? `AND o.geo IN (${o.geo.map(sqlString).join(', ')})` : '';
  const yearFilter = `${o.from !== undefined ? `AND o.year >= ${Math.trunc(o.from)}` : ''} ${o.to !== undefined ? `AND o.year <= ${Math.trunc(o.to)}` : ''}`;
  const query = `SELECT o.indicator, o.geo, o.period, o.year, o.sex, o.area, o.age, o.quintile, o.breakdown, o.value,
      o.flags, d.source, d.vintage, d.licence
    FROM obs o JOIN datasets d ON d.id = o.dataset
    WHERE o.indicator IN (${list}) ${geoFilter} ${yearFilter}
    ORDER BY o.indicator, o.geo, o.period, o.sex, o.area, o.age, o.quintile, o.breakdown`;
  const format = ext === '.parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
  await store.db.exec(`COPY (${query}) TO ${sqlString(out)} (${format})`);
  const rows = (await store.db.value<number>(`SELECT count(*) FROM (${query})`)) ?? 0;
  return { rows, file: out };
}

/** Exports every table of the store to Parquet files plus the schema (DuckDB EXPORT DATABASE). */
export async function exportStore(store: Store, dir: string): Promise<{ dir: string; tables: number }> {
  const out = resolve(dir);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw invalid(`directory ${dir} is not empty`, { field: 'out' });
  mkdirSync(out, { recursive: true });
  await store.db.exec(`EXPORT DATABASE ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
  const tables = readdirSync(out).filter((f) => f.endsWith('.parquet')).length;
  return { dir: out, tables };
}

/** Creates a new store file from a directory written by exportStore. */
export async function rebuildStore(dir: string, path: string): Promise<Store> {
  const src = resolve(dir);
  if (!existsSync(resolve(src, 'schema.sql')) || !existsSync(resolve(src, 'load.sql')))
    throw invalid(`${dir} is not a store export (schema.sql and load.sql are missing)`, { file: dir });
  const target = resolve(path);
  if (existsSync(target)) throw invalid(`store ${path} already exists; choose a new path`, { file: path });
  mkdirSync(dirname(target), { recursive: true });
  const inst = await DuckDBInstance.create(target);
  const conn = await inst.connect();
  try {
    await conn.run(`IMPORT DATABASE ${sqlString(src)}`);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  return Store.open({ path: target });
}
