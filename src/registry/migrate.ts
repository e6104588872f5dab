/**
 * Versioned migrations: `migrations/NNNN_name.sql`, applied in order, each in its own transaction,
 * recorded in `schema_migrations` with its checksum. A migration already applied whose file has
 * since changed is an error (write a new migration instead). On a server, an advisory lock keeps
 * two processes from migrating at once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PontisError } from '../core/errors.ts';
import { fromRoot } from '../core/paths.ts';
import type { RegistryDb } from './db.ts';

export const MIGRATIONS_DIR = fromRoot('src/registry/migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const out: Migration[] = [];
  for (const f of files) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(f);
    if (!m)
      throw new PontisError('internal', 'migration file names are NNNN_name.sql', { file: join(dir, f) });
    const version = Number(m[1]);
    const prev = out.at(-1);
    if (version !== (prev ? prev.version + 1 : 1))
      throw new PontisError('internal', `migration ${version} out of sequence`, { file: join(dir, f) });
    const sql = readFileSync(join(dir, f), 'utf8');
    out.push({ version, name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/** Applies the migrations not yet applied; returns the versions applied now. */
export async function migrate(db: RegistryDb, migrations = loadMigrations()): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.backend === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727001)');
      const rows = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [m.version],
      );
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum)
          throw new PontisError(
            'internal',
            `migration ${m.version} (${m.name}) was changed after it was applied; add a new migration instead`,
            { file: `${m.version.toString().padStart(4, '0')}_${m.name}.sql` },
          );
        return false;
      }
      // Statements of one migration run together inside this transaction.
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

export async function schemaVersion(db: RegistryDb): Promise<number> {
  const r = await db.query<{ v: number | null }>('SELECT max(version)::int AS v FROM schema_migrations');
  return r[0]?.v ?? 0;
}

/**
 * Splits a migration into statements at semicolons that end a line, outside quotes and comments.
 * (Migrations are our own files; no dollar-quoted bodies are used in them.)
 */
export function splitStatements(sql: string): string[] {
  const noComments = sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n');
  return noComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
