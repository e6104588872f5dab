/**
 * What commands share: the store, opened lazily and created with the bundled data on first use, and
 * the registry. Modules a command may not need (the registry, the readers) are imported when first
 * used, so that `pontis` starts in about the time Node and the store take.
 */
import type { Command } from 'commander';
import type { RegistryDb } from '../registry/db.ts';
import { DEFAULT_REGISTRY } from '../registry/location.ts';
import { loadReference } from '../store/reference.ts';
import { DEFAULT_STORE, openStore, type Store } from '../store/store.ts';
import { startProgress } from './progress.ts';

export interface GlobalOptions {
  store?: string;
  registry?: string;
  json?: boolean;
  csv?: boolean;
}

export interface CliContext {
  /** Opens the store named by --store / PONTIS_STORE (default ./.pontis/pontis.duckdb). */
  store(cmd: Command, options?: { bundled?: boolean; readOnly?: boolean }): Promise<Store>;
  /**
   * Opens the registry named by --registry / PONTIS_REGISTRY (a PGlite directory, default
   * ./.pontis/registry, or a postgres:// URL), migrated; seeded with data/registry/seed.json while it is empty.
   */
  registry(cmd: Command): Promise<RegistryDb>;
  close(): Promise<void>;
}

export function registryLocation(cmd: Command): string {
  return (cmd.optsWithGlobals() as GlobalOptions).registry ?? process.env.PONTIS_REGISTRY ?? DEFAULT_REGISTRY;
}

export function storePath(cmd: Command): string {
  return (cmd.optsWithGlobals() as GlobalOptions).store ?? process.env.PONTIS_STORE ?? DEFAULT_STORE;
}

export function createContext(): CliContext {
  let opened: Store | undefined;
  let registry: RegistryDb | undefined;
  return {
    async registry(cmd) {
      if (registry) return registry;
      const location = registryLocation(cmd);
      const { openRegistry } = await import('../registry/open.ts');
      const r = await openRegistry(location);
      if (r.seeded)
        process.stderr.write(
          `pontis: new registry at ${location}: ${r.seeded.records.created} seed records (data/registry/seed.json)\n`,
        );
      registry = r.db;
      return registry;
    },
    async store(cmd, options = {}) {
      if (opened) return opened;
      const store = await openStore({ path: storePath(cmd), readOnly: options.readOnly });
      opened = store;
      if (options.readOnly) return store;
      if (store.created) await store.setMeta('init', options.bundled === false ? 'empty' : 'bundled');
      if ((await store.getMeta('reference_loaded')) === undefined) await loadReference(store);
      // A first load that was interrupted is resumed: loads are idempotent per file.
      if (
        (await store.getMeta('init')) === 'bundled' &&
        (await store.getMeta('bundled_loaded')) === undefined
      ) {
        process.stderr.write(`pontis: loading the bundled data into ${store.path} (first start)\n`);
        const p = startProgress('loading bundled data', store);
        const { loadBundled } = await import('../store/ingest-files.ts');
        try {
          await loadBundled(store, { onFile: (_e, i, n) => p.update(i / n, `${i + 1}/${n}`) });
        } finally {
          p.stop();
        }
      }
      return store;
    },
    async close() {
      opened?.close();
      opened = undefined;
      await registry?.close();
      registry = undefined;
    },
  };
}
