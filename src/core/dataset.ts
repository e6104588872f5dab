export interface Dataset {
  id: number;
  /** Who produced the data (e.g. "World Bank WDI", "ITU"). */
  source: string;
  /** File name as given to ingest. */
  file: string;
  format: string;
  /** sha256 of the file's bytes: a reload of the same vintage is recognised by it. */
  checksum: string;
  /** Vintage as the source states it (e.g. "2025-12-08", "Last Updated 2018-05-02"). */
  vintage: string | null;
  licence: string | null;
  loadedAt: string;
  rows: number;
  rejected: number;
}
