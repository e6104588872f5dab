import type { Readable } from 'node:stream';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';

export const FORMATS = [
  'tidy-csv',
  'wdi-csv',
  'wb-api-json',
  'unsdg-json',
  'sdmx-json',
  'sdmx-csv',
  'itu-csv',
  'xlsx',
] as const;
export type FormatId = (typeof FORMATS)[number];

/** What a reader learned about the file besides its observations. Filled while reading. */
export interface ReadMeta {
  /** Vintage as the file states it, e.g. WDI "Last Updated Date", World Bank API `lastupdated`. */
  vintage?: string;
  source?: string;
  indicators: IndicatorHint[];
  /** Rows the format itself marks as missing (empty WDI cells, SDMX OBS_STATUS=M) that were skipped. */
  missing: number;
}

/** An opened input: decompressed (gzip detected by magic bytes), checked to be UTF-8, BOM removed. */
export interface SourceFile {
  /** The path as the user gave it; used in every message. */
  file: string;
  /** Absolute path on disk (for bulk loading and for binary formats like XLSX). */
  path: string;
  /** True when the file on disk is gzip-compressed. */
  gzip: boolean;
  /** Decoded text, streamed. Throws PontisError (with file) on truncated gzip or invalid UTF-8. */
  text(): Readable;
  /** Raw decompressed bytes, streamed (for binary formats). */
  bytes(): Readable;
}

/**
 * A streamed read: batches of raw observations (strings, not yet validated). File-level problems
 * (empty file, wrong header, malformed JSON, wrong encoding, truncated gzip) are thrown as
 * PontisError naming the file and, where known, the line and field.
 */
export interface StreamRead {
  kind: 'stream';
  meta: ReadMeta;
  batches: AsyncIterable<RawObservation[]>;
  /**
   * Ends the read, closing its file, when the batches are not (all) taken: the file was found
   * already loaded, or the load failed. Does nothing after a complete read.
   */
  close(): Promise<void>;
}

/**
 * A tidy CSV that the store loads in bulk with DuckDB's own CSV reader (much faster than parsing
 * in JavaScript). The reader has already checked the header and mapped its columns.
 */
export interface BulkCsvRead {
  kind: 'bulk-csv';
  meta: ReadMeta;
  path: string;
  gzip: boolean;
  delimiter: string;
  /** Source column name for each Pontis field (indicator, geo, period, value, sex, area, age, quintile, flags, unit). */
  columns: Partial<Record<BulkField, string>>;
  /** Columns not mapped to a Pontis field; they become `breakdown` dimensions. */
  extraColumns: string[];
  /** Number of lines before the first data record (header lines), to turn record numbers into line numbers. */
  headerLines: number;
}

export type BulkField =
  | 'indicator'
  | 'geo'
  | 'period'
  | 'value'
  | 'sex'
  | 'area'
  | 'age'
  | 'quintile'
  | 'flags'
  | 'unit';

export type ReadResult = StreamRead | BulkCsvRead;

export interface ReaderOptions {
  /** Observations per batch (default 10,000). */
  batchSize?: number;
}

export interface Reader {
  format: FormatId;
  description: string;
  /**
   * Does this look like my format? `head` is the first 64 KiB of decompressed text (BOM removed);
   * for binary formats it is the latin1 view of the first bytes.
   */
  sniff(head: string, fileName: string): boolean;
  read(src: SourceFile, options?: ReaderOptions): Promise<ReadResult>;
}
