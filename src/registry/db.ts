/**
 * The registry's database: PostgreSQL, either a real server (`postgres://…`, through node-postgres)
 * or PGlite, the same PostgreSQL compiled to WebAssembly, embedded in the process with its data in a
 * directory (the default: ./.pontis/registry). Both run the same migrations and the same SQL; every
 * statement is parameterised ($1, $2, …), never built from values.
 *
 *   const db = await openRegistryDb({ dataDir: '.pontis/registry' });     // embedded
 *   const db = await openRegistryDb({ url: process.env.DATABASE_URL });   // server
 *   const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE kind = $1', ['offer']);
 *   await db.transaction(async (tx) => { await tx.query(…); await tx.query(…); });
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { PontisError } from '../core/errors.ts';

/** Something that runs parameterised SQL: the database, or a transaction on it. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface RegistryDb extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Runs SQL without parameters, several statements allowed (migrations only). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface RegistryDbOptions {
  /** A PostgreSQL connection string; when given, the server is used. */
  url?: string;
  /** PGlite's data directory; omitted (and no url): an in-memory database. */
  dataDir?: string;
  /** Pool size for a server (default 8). */
  maxConnections?: number;
}

export async function openRegistryDb(opts: RegistryDbOptions = {}): Promise<RegistryDb> {
  if (opts.url) return openPostgres(opts.url, opts.maxConnections ?? 8);
  return openPglite(opts.dataDir);
}

async function openPglite(dataDir?: string): Promise<RegistryDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  let lite: PGlite;
  try {
    // PGlite and node-postgres are loaded by the backend that uses them, not when the library is.
    const [{ PGlite }, { pg_trgm }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
    ]);
    lite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
  } catch (e) {
    throw new PontisError('internal', `cannot open the embedded registry database: ${(e as Error).message}`, {
      file: dataDir,
    });
  }
  const q =
    (target: Pick<PGlite, 'query'>) =>
    async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
      (await target.query<T>(sql, params as unknown[])).rows;
  return {
    backend: 'pglite',
    query: q(lite),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) => lite.transaction((tx) => fn({ query: q(tx) })),
    close: () => lite.close(),
  };
}

// node-postgres: int8 (count(*) without a cast, bigserial) as JavaScript numbers would lose
// precision beyond 2^53; the registry casts counts to int, so int8 stays a string as pg's default.
async function openPostgres(url: string, max: number): Promise<RegistryDb> {
  const { default: pgLib } = await import('pg');
  const pool = new pgLib.Pool({ connectionString: url, max });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new PontisError('internal', `cannot connect to the registry database: ${(e as Error).message}`, {
      field: 'url',
    });
  }
  const q =
    (target: pg.Pool | pg.PoolClient) =>
    async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
      (await target.query(sql, params as unknown[])).rows as T[];
  return {
    backend: 'postgres',
    query: q(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: q(client) });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
