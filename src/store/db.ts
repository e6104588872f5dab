/** A thin typed wrapper over a DuckDB connection: parameterised SQL only. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type Params = DuckDBValue[];
export type SqlRow = Record<string, unknown>;

/** PONTIS_TRACE=1 prints every statement's duration to stderr (for profiling loads and queries). */
const TRACE = process.env.PONTIS_TRACE === '1';

function trace(sql: string, t0: number): void {
  const ms = performance.now() - t0;
  process.stderr.write(
    `[sql ${ms.toFixed(0).padStart(6)} ms] ${sql.replace(/\s+/g, ' ').trim().slice(0, 110)}\n`,
  );
}

export class Db {
  constructor(readonly conn: DuckDBConnection) {}

  async exec(sql: string, params?: Params): Promise<void> {
    const t0 = performance.now();
    await this.conn.run(sql, params);
    if (TRACE) trace(sql, t0);
  }

  /** Rows as plain JS objects (BIGINT as number when safe, DATE as ISO string, lists as arrays). */
  async all<T extends SqlRow = SqlRow>(sql: string, params?: Params): Promise<T[]> {
    const t0 = performance.now();
    const r = await this.conn.runAndReadAll(sql, params);
    if (TRACE) trace(sql, t0);
    return r.getRowObjectsJS().map(toPlain) as T[];
  }

  async one<T extends SqlRow = SqlRow>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async value<T>(sql: string, params?: Params): Promise<T | undefined> {
    const row = await this.one(sql, params);
    return row ? (Object.values(row)[0] as T) : undefined;
  }

  /** Runs fn inside a transaction; rolls back on any error. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.exec('COMMIT');
      return out;
    } catch (e) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}

function toPlainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(toPlainValue);
  return v;
}

function toPlain(row: Record<string, unknown>): SqlRow {
  const out: SqlRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = toPlainValue(v);
  return out;
}
