/** Reads files with the ingest readers and loads them into the store, one atomic load per file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalid } from '../core/errors.ts';
import { readFile } from '../ingest/index.ts';
import { type IngestOptions, type IngestReport, loadFile } from './load.ts';
import { DATA_DIR, loadReference } from './reference.ts';
import type { Store } from './store.ts';

export async function ingestFile(
  store: Store,
  path: string,
  options: IngestOptions = {},
): Promise<IngestReport> {
  if ((await store.getMeta('reference_loaded')) === undefined) await loadReference(store);
  const display = options.displayName ?? path;
  const read = await readFile(path, { format: options.format, displayName: display });
  return loadFile(
    store,
    { path: read.source.path, file: display, format: read.format, result: read.result },
    options,
  );
}

export interface ManifestEntry {
  file: string;
  format?: IngestOptions['format'];
  source?: string;
  vintage?: string;
  licence?: string;
  retrieved?: string;
  url?: string;
}

export function readManifest(dataDir: string = DATA_DIR): ManifestEntry[] {
  const file = resolve(dataDir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid(`cannot read the data manifest: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  const ds = (parsed as { datasets?: unknown }).datasets;
  if (!Array.isArray(ds)) throw invalid('expected {"datasets": [...]}', { file, field: 'datasets' });
  return ds.map((d, i) => {
    if (typeof d !== 'object' || d === null || typeof (d as ManifestEntry).file !== 'string')
      throw invalid('each dataset needs a "file"', { file, field: `datasets[${i}].file` });
    return d as ManifestEntry;
  });
}

/**
 * Loads the reference data and every bundled dataset not yet in the store. Idempotent: a second
 * call finds every checksum already loaded and changes nothing.
 */
export async function loadBundled(
  store: Store,
  options: { dataDir?: string; onFile?: (entry: ManifestEntry, i: number, n: number) => void } = {},
): Promise<IngestReport[]> {
  const dataDir = options.dataDir ?? DATA_DIR;
  if ((await store.getMeta('reference_loaded')) === undefined) await loadReference(store, dataDir);
  const entries = readManifest(dataDir);
  const reports: IngestReport[] = [];
  for (const [i, e] of entries.entries()) {
    options.onFile?.(e, i, entries.length);
    const path = resolve(dataDir, e.file);
    const read = await readFile(path, { format: e.format, displayName: `data/${e.file}` });
    reports.push(
      await loadFile(
        store,
        { path, file: `data/${e.file}`, format: read.format, result: read.result },
        { source: e.source, vintage: e.vintage, licence: e.licence, retrieved: e.retrieved, url: e.url },
      ),
    );
  }
  await store.setMeta('bundled_loaded', new Date().toISOString());
  return reports;
}
