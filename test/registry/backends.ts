/**
 * The registry suite runs against both backends: PGlite (embedded, always) and a real PostgreSQL
 * server when PONTIS_TEST_PG_URL names one (scripts/test.sh starts a cluster on 127.0.0.1 and sets
 * it, with PONTIS_REQUIRE_PG=1 so that a missing server fails the run instead of passing quietly).
 * Each call gives a fresh, migrated database: PGlite in memory, or a new database on the server,
 * dropped again by `close()`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openRegistryDb, type RegistryDb } from '../../src/registry/db.ts';
import { migrate } from '../../src/registry/migrate.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh database, migrated unless `migrated: false`. */
  open(opts?: { migrated?: boolean }): Promise<RegistryDb>;
}

const PG_URL = process.env.PONTIS_TEST_PG_URL;
if (process.env.PONTIS_REQUIRE_PG === '1' && !PG_URL)
  throw new Error(
    'PONTIS_REQUIRE_PG=1 but PONTIS_TEST_PG_URL is not set: the PostgreSQL server did not start',
  );

const pglite: Backend = {
  name: 'pglite',
  async open({ migrated = true } = {}) {
    const db = await openRegistryDb();
    if (migrated) await migrate(db);
    return db;
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open({ migrated = true } = {}) {
    const name = `pontis_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    await admin.end();
    const url = new URL(PG_URL!);
    url.pathname = `/${name}`;
    const db = await openRegistryDb({ url: url.toString(), maxConnections: 4 });
    if (migrated) await migrate(db);
    const close = db.close;
    return {
      ...db,
      close: async () => {
        await close();
        const a = new pg.Client({ connectionString: PG_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  },
};

export const BACKENDS: Backend[] = PG_URL ? [pglite, postgres] : [pglite];
