/**
 * Pontis as a typed library: the same operations as the `pontis` CLI.
 * See docs/library.md for one runnable example per function.
 */
export * from './core/index.ts';
export { readFile } from './ingest/index.ts';
export type { FormatId, Reader, ReadResult, SourceFile } from './ingest/reader.ts';
export { FORMATS } from './ingest/reader.ts';
export { importGroups } from './store/custom-groups.ts';
export { type ExportOptions, exportSeries, exportStore, rebuildStore } from './store/export.ts';
export { ingestFile, loadBundled, type ManifestEntry, readManifest } from './store/ingest-files.ts';
export { type IngestOptions, type IngestReport, loadFile } from './store/load.ts';
export {
  type DatasetRow,
  type GroupRow,
  groupMembers,
  type IndicatorRow,
  listDatasets,
  listGroups,
  listIndicators,
  type MemberRow,
  querySeries,
  resolveGeos,
  resolveGroup,
  resolveIndicator,
  type SeriesQuery,
  type SeriesRow,
} from './store/queries.ts';
export { DATA_DIR, loadReference } from './store/reference.ts';
export { DEFAULT_STORE, type OpenOptions, openStore, Store } from './store/store.ts';
