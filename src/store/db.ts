/** A thin typed wrapper over a DuckDB connection: parameterised SQL only. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type Params = DuckDBValue[];
export type SqlRow = Record<string, unknown>;

export class Db {
  constructor(readonly conn: DuckDBConnection) {}

  async exec(sql: string, params?: Params): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Rows as plain JS objects (BIGINT as number when safe, DATE as ISO string, lists as arrays). */
  async all<T extends SqlRow = SqlRow>(sql: string, params?: Params): Promise<T[]> {
    const r = await this.conn.runAndReadAll(sql, params);
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
