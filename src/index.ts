/**
 * Pontis as a typed library: the same operations as the `pontis` CLI.
 * See docs/library.md for one runnable example per function.
 */

/** Divide statistics from the store (aggregates, gaps, affordability, inequality, progress). */
export * as analysis from './analysis/index.ts';
export * from './core/index.ts';
/** The composite-index engine (no store needed). */
export * as indexer from './indexer/index.ts';
export { readFile } from './ingest/index.ts';
export type { FormatId, Reader, ReadResult, SourceFile } from './ingest/reader.ts';
export { FORMATS } from './ingest/reader.ts';
/** The technology-facilitation registry (PostgreSQL / PGlite): docs/registry.md. */
export * as registry from './registry/index.ts';
/** Pure statistics on query results (no I/O). */
export * as stats from './stats/index.ts';
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

export type { CountryPdf, CountryPdfOptions } from './web/report.ts';
/**
 * The country profile (the web page /{lang}/country/{ISO3}) rendered to an A4 PDF by Chromium.
 * Loaded on use, so the library does not load the web site and its pages until a PDF is asked for.
 */
export async function renderCountryPdf(
  ...args: Parameters<typeof import('./web/report.ts').renderCountryPdf>
): ReturnType<typeof import('./web/report.ts').renderCountryPdf> {
  return (await import('./web/report.ts')).renderCountryPdf(...args);
}
