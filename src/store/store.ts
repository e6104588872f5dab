/**
 * The observatory store: one DuckDB file holding reference data (geographies, groups,
 * memberships, indicator metadata, SDG titles), dataset vintages and observations.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { invalid, PontisError } from '../core/errors.ts';
import { Db } from './db.ts';
import { DDL, SCHEMA_VERSION } from './schema.ts';
import { QUOTE_RAW_MACRO } from './validate.ts';

export const DEFAULT_STORE = '.pontis/pontis.duckdb';
/** DuckDB's memory limit unless --memory / PONTIS_MEMORY_LIMIT say otherwise. */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export interface OpenOptions {
  /** DuckDB file; ':memory:' for an in-memory store. Default ./.pontis/pontis.duckdb. */
  path?: string;
  readOnly?: boolean;
  /** DuckDB memory limit, e.g. '1GB' (default DEFAULT_MEMORY_LIMIT or $PONTIS_MEMORY_LIMIT). */
  memoryLimit?: string;
  threads?: number;
}

export class Store {
  /** True when this open created the file (so it holds no data yet). */
  readonly created: boolean;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly db: Db,
    created: boolean,
  ) {
    this.created = created;
  }

  static async open(options: OpenOptions = {}): Promise<Store> {
    const path = options.path === ':memory:' ? ':memory:' : resolve(options.path ?? DEFAULT_STORE);
    const created = path === ':memory:' || !existsSync(path);
    if (path !== ':memory:') {
      if (options.readOnly && created) throw invalid(`store ${path} does not exist`);
      mkdirSync(dirname(path), { recursive: true });
    }
    // DuckDB keeps within this much memory and spills larger intermediate results (the staging of
    // a big file that needs full validation, say) to its temporary directory.
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? process.env.PONTIS_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT,
      temp_directory: path === ':memory:' ? join(tmpdir(), `pontis-duckdb-${process.pid}`) : `${path}.tmp`,
    };
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg))
        throw invalid(`store ${path} is in use by another process (${msg.split('\n')[0]})`, { file: path });
      throw invalid(`cannot open store: ${msg.split('\n')[0]}`, { file: path });
    }
    const db = new Db(await instance.connect());
    const store = new Store(path, instance, db, created);
    if (!options.readOnly) await store.migrate();
    await db.exec(QUOTE_RAW_MACRO);
    return store;
  }

  private async migrate(): Promise<void> {
    await this.db.exec(DDL);
    const v = await this.db.value<string>(`SELECT value FROM meta WHERE key = 'schema_version'`);
    if (v === undefined) {
      await this.db.exec(`INSERT INTO meta VALUES ('schema_version', ?)`, [SCHEMA_VERSION]);
    } else if (v !== SCHEMA_VERSION) {
      throw new PontisError(
        'invalid_input',
        `store ${this.path} has schema version ${v}; this Pontis expects ${SCHEMA_VERSION}. Rebuild it from its Parquet export (pontis rebuild).`,
      );
    }
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.db.value<string>('SELECT value FROM meta WHERE key = ?', [key]);
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.exec('INSERT OR REPLACE INTO meta VALUES (?, ?)', [key, value]);
  }

  /** Interrupts the running query (used on Ctrl-C: the open transaction then rolls back). */
  interrupt(): void {
    this.db.conn.interrupt();
  }

  close(): void {
    this.db.conn.closeSync();
    this.instance.closeSync();
  }
}

export const openStore = (options?: OpenOptions) => Store.open(options);
