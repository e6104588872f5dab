/**
 * Atomic, idempotent loads.
 *
 * A load reads one file into a temporary staging table, validates every row in SQL
 * (validate.ts), and then, inside one transaction, records the dataset vintage and inserts the
 * valid observations. Any invalid row aborts the load (nothing is written) unless skipInvalid is
 * set; either way the report lists the rejected rows. A file whose checksum is already in the
 * store is recognised and not loaded again. Because everything happens in one DuckDB
 * transaction, a load that is interrupted (Ctrl-C, kill -9, power loss) leaves the store exactly
 * as it was: DuckDB never makes an uncommitted transaction durable.
 */
import { statSync } from 'node:fs';
import { listValue } from '@duckdb/node-api';
import { DIMENSIONS } from '../core/dimensions.ts';
import { invalid, PontisError, type RowIssue } from '../core/errors.ts';
import type { RawObservation } from '../core/observation.ts';
import { PERIOD_PATTERN } from '../core/period.ts';
import type { BulkCsvRead, FormatId, ReadMeta, ReadResult } from '../ingest/reader.ts';
import { type ContentDigest, digestContent } from '../ingest/source.ts';
import { canonicalDimension, canonicalPeriod, KEY_DIMENSIONS } from './schema.ts';
import type { Store } from './store.ts';
import { NOT_A_YEAR, type StrictSource, sqlString, strictInsertSql, validationSql } from './validate.ts';

export const MAX_LISTED_ISSUES = 50;

export interface IngestOptions {
  format?: FormatId;
  skipInvalid?: boolean;
  /** Name shown in messages and recorded in the dataset (default: the path as given). */
  displayName?: string;
  source?: string;
  vintage?: string;
  licence?: string;
  retrieved?: string;
  url?: string;
  /** Called with a fraction in [0, 1] (or NaN when unknown) while loading. */
  onProgress?: (fraction: number, phase: string) => void;
  /** Aborts the load (Ctrl-C): the transaction is rolled back and nothing is written. */
  signal?: AbortSignal;
  /**
   * Tidy CSV only: try the strict one-pass load first (default true). With false, every row goes
   * through the full validation; the result is the same, only slower (used to test the equivalence).
   */
  fastPath?: boolean;
}

function checkAborted(options: IngestOptions): void {
  if (options.signal?.aborted) throw new PontisError('interrupted', 'load interrupted; nothing was written');
}

export interface IngestReport {
  file: string;
  format: FormatId;
  status: 'loaded' | 'unchanged' | 'rejected';
  dataset: number | null;
  checksum: string;
  /** Observations written. */
  loaded: number;
  /** Rows rejected (invalid). */
  rejected: number;
  /** Cells the format marks as missing (skipped, not errors). */
  missing: number;
  /** Exact duplicates of another row in the file (same key, same value), kept once. */
  duplicates: number;
  /** Superseded observations of earlier vintages (revisions). */
  superseded: number;
  /** The first MAX_LISTED_ISSUES rejected rows, in file order. */
  issues: RowIssue[];
  /** How the rows went in: 'one-pass' (strict bulk load) or 'validated' (row-by-row validation). */
  path: 'one-pass' | 'validated' | null;
  indicators: string[];
  seconds: number;
}

const STAGE_COLUMNS =
  'line INTEGER, indicator VARCHAR, geo VARCHAR, period VARCHAR, value VARCHAR, sex VARCHAR, area VARCHAR, age VARCHAR, quintile VARCHAR, breakdown VARCHAR, flags VARCHAR, unit VARCHAR';

function breakdownString(b: Record<string, string> | undefined): string | null {
  if (!b) return null;
  const parts = Object.entries(b)
    .map(([k, v]) => [k.trim().toUpperCase(), v.trim()] as const)
    .filter(([, v]) => v !== '' && v !== '_T')
    .sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(';') : null;
}

/** Streams a reader's batches into the staging table through DuckDB's appender. */
async function stageStream(
  store: Store,
  batches: AsyncIterable<RawObservation[]>,
  onRows: (n: number) => void,
) {
  await store.db.exec(`CREATE OR REPLACE TEMP TABLE stage (${STAGE_COLUMNS})`);
  const app = await store.db.conn.createAppender('stage', 'main', 'temp');
  const str = (s: string | undefined | null) =>
    s === undefined || s === null ? app.appendNull() : app.appendVarchar(s);
  let n = 0;
  try {
    for await (const batch of batches) {
      for (const o of batch) {
        app.appendInteger(o.line);
        str(o.indicator);
        str(o.geo);
        str(o.period);
        str(o.value);
        str(o.sex);
        str(o.area);
        str(o.age);
        str(o.quintile);
        str(breakdownString(o.breakdown));
        str(o.flags);
        str(o.unit);
        app.endRow();
      }
      n += batch.length;
      onRows(n);
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
  return n;
}

/**
 * The tidy CSV bulk path: DuckDB's own parallel CSV reader. Columns are found by the header names
 * the reader checked; every value is read as text and validated like any other row.
 * With `lines`, each row carries its line number (this forces an ordered scan, so the fast path
 * leaves it out and only the report of rejected rows pays for it).
 */
function bulkSource(r: BulkCsvRead, lines: boolean): string {
  const col = (f: keyof BulkCsvRead['columns']) => {
    const c = r.columns[f];
    return c ? `"${c.replaceAll('"', '""')}"` : 'NULL';
  };
  const extra = r.extraColumns.map((c) => {
    const q = `"${c.replaceAll('"', '""')}"`;
    return `CASE WHEN coalesce(trim(${q}), '') NOT IN ('', '_T') THEN ${sqlString(`${c.trim().toUpperCase()}=`)} || trim(${q}) END`;
  });
  const breakdown = extra.length ? `nullif(concat_ws(';', ${extra.join(', ')}), '')` : 'NULL';
  const line = lines ? `CAST(row_number() OVER () + ${r.headerLines} AS INTEGER)` : 'CAST(NULL AS INTEGER)';
  return `(SELECT ${line} AS line,
      ${col('indicator')} AS indicator, ${col('geo')} AS geo, ${col('period')} AS period, ${col('value')} AS value,
      ${col('sex')} AS sex, ${col('area')} AS area, ${col('age')} AS age, ${col('quintile')} AS quintile,
      ${breakdown} AS breakdown, ${col('flags')} AS flags, ${col('unit')} AS unit
    FROM ${csvScan(r)})`;
}

/** The bulk CSV as a relation with Pontis field names, for the strict one-pass validation. */
function strictSource(r: BulkCsvRead): StrictSource {
  const q = (c: string) => `"${c.replaceAll('"', '""')}"`;
  const fields = Object.entries(r.columns).filter(([, c]) => c) as [string, string][];
  const extra = r.extraColumns.map(
    (c) =>
      `CASE WHEN coalesce(trim(${q(c)}), '') NOT IN ('', '_T') THEN ${sqlString(`${c.trim().toUpperCase()}=`)} || trim(${q(c)}) END`,
  );
  const select = [
    ...fields.map(([f, c]) => `${q(c)} AS ${f}`),
    extra.length ? `nullif(concat_ws(';', ${extra.join(', ')}), '') AS breakdown` : null,
  ].filter(Boolean);
  // The value column is parsed as DOUBLE by the CSV reader itself (faster than text + cast); a value
  // it cannot parse fails the scan, and the load falls back to the full path, which reports it.
  const types = [...new Set([...fields.map(([, c]) => c), ...r.extraColumns])].map(
    (c) => `${sqlString(c)}: '${c === r.columns.value ? 'DOUBLE' : 'VARCHAR'}'`,
  );
  return {
    from: `(SELECT ${select.join(', ')} FROM ${csvScan(r, `types = {${types.join(', ')}}`)})`,
    present: new Set(fields.map(([f]) => f)),
    breakdown: extra.length ? 'r.breakdown' : null,
  };
}

function csvScan(r: BulkCsvRead, types = 'all_varchar = true'): string {
  return `read_csv(${sqlString(r.path)}, header = true, ${types}, delim = ${sqlString(r.delimiter)},
      quote = '"', escape = '"', compression = ${r.gzip ? "'gzip'" : "'none'"}, null_padding = false,
      strict_mode = true, ignore_errors = false)`;
}

function duckMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.replace(/^[A-Za-z ]+Error: /, '');
}

/**
 * Loads one file. `read` is the reader's result for it (see src/ingest). Throws PontisError when
 * rows are invalid and skipInvalid is not set; the error's `details` is the IngestReport.
 */
export async function loadFile(
  store: Store,
  src: { path: string; file: string; format: FormatId; result: ReadResult },
  options: IngestOptions = {},
): Promise<IngestReport> {
  try {
    return await loadRead(store, src, options);
  } finally {
    // A stream whose batches were not (all) taken (the file was already loaded, or the load failed)
    // is ended here, which closes its file; after a complete read this does nothing.
    if (src.result.kind === 'stream') await src.result.close().catch(() => undefined);
  }
}

async function loadRead(
  store: Store,
  src: { path: string; file: string; format: FormatId; result: ReadResult },
  options: IngestOptions,
): Promise<IngestReport> {
  const t0 = performance.now();
  const { db } = store;
  const progress = (f: number, phase: string) => {
    checkAborted(options);
    options.onProgress?.(f, phase);
  };
  const r = src.result;
  const base = (checksum: string): Omit<IngestReport, 'status' | 'seconds'> => ({
    file: src.file,
    format: src.format,
    dataset: null,
    checksum,
    loaded: 0,
    rejected: 0,
    missing: 0,
    duplicates: 0,
    superseded: 0,
    issues: [],
    indicators: [],
    path: null,
  });
  const unchanged = (id: number, checksum: string): IngestReport => ({
    ...base(checksum),
    status: 'unchanged',
    dataset: id,
    seconds: (performance.now() - t0) / 1000,
  });

  let digest: ContentDigest | undefined;
  if (r.kind === 'bulk-csv' && options.fastPath !== false) {
    progress(Number.NaN, 'loading');
    const fast = await fastBulkLoad(store, { ...src, result: r }, options);
    if (fast.kind === 'unchanged') return unchanged(fast.id, fast.checksum);
    if (fast.kind === 'loaded') {
      progress(1, 'done');
      return {
        ...base(fast.checksum),
        status: 'loaded',
        dataset: fast.id,
        loaded: fast.loaded,
        superseded: fast.superseded,
        indicators: fast.indicators,
        path: 'one-pass',
        seconds: (performance.now() - t0) / 1000,
      };
    }
    digest = fast.digest;
  }
  // The checksum (and, for the CSV the store reads itself, the check that the whole file decodes).
  digest ??= await digestContent(
    { file: src.file, path: src.path, gzip: r.kind === 'bulk-csv' && r.gzip },
    { text: r.kind === 'bulk-csv' },
  );
  const checksum = digest.checksum;
  const existing = await db.one<{ id: number }>('SELECT id FROM datasets WHERE checksum = ?', [checksum]);
  if (existing) return unchanged(existing.id, checksum);

  const size = statSync(src.path).size;
  const meta: ReadMeta = r.meta;

  // 1. Stage and validate (temporary tables: nothing durable happens before the transaction).
  await db.exec('DROP TABLE IF EXISTS temp.checked');
  try {
    if (src.result.kind === 'bulk-csv') {
      progress(Number.NaN, 'reading');
      await db.exec(`CREATE TEMP TABLE checked AS ${validationSql(bulkSource(src.result, true))}`);
    } else {
      await stageStream(store, src.result.batches, (n) =>
        progress(Math.min(0.99, (n * 40) / Math.max(size, 1)), 'reading'),
      );
      await db.exec(`CREATE TEMP TABLE checked AS ${validationSql('temp.stage')}`);
      await db.exec('DROP TABLE IF EXISTS temp.stage');
    }
  } catch (e) {
    if (e instanceof PontisError) throw e;
    throw invalid(`cannot read file: ${duckMessage(e)}`, { file: src.file });
  }
  progress(Number.NaN, 'validating');

  // 2. Conflicting duplicates: the same key twice in the file with different values. Both rows are
  //    rejected (which one is right cannot be told); exact duplicates are kept once.
  // First the repeated keys only (a hash per row keeps this small and spillable), then their lines.
  await db.exec(`CREATE OR REPLACE TEMP TABLE dupkeys AS
    WITH rep AS (
      SELECT hash(indicator, geo, period, sex, area, age, quintile, breakdown) AS h
      FROM temp.checked WHERE err_reason IS NULL GROUP BY h HAVING count(*) > 1
    )
    SELECT c.indicator, c.geo, c.period, c.sex, c.area, c.age, c.quintile, c.breakdown,
      count(*) AS n, count(DISTINCT c.value) AS nv, list(c.line ORDER BY c.line) AS lines,
      list(c.value ORDER BY c.line) AS vals
    FROM temp.checked c
    WHERE c.err_reason IS NULL AND hash(c.indicator, c.geo, c.period, c.sex, c.area, c.age, c.quintile, c.breakdown) IN (SELECT h FROM rep)
    GROUP BY ALL HAVING count(*) > 1`);
  const dupStats = await db.one<{ conflicts: number; exact: number }>(
    `SELECT coalesce(sum(CASE WHEN nv > 1 THEN n ELSE 0 END), 0) AS conflicts,
            coalesce(sum(CASE WHEN nv = 1 THEN n - 1 ELSE 0 END), 0) AS exact FROM temp.dupkeys`,
  );
  if ((dupStats?.conflicts ?? 0) > 0) {
    await db.exec(`UPDATE temp.checked c SET err_field = 'value', err_reason =
        'duplicate key (' || c.indicator || ', ' || c.geo || ', ' || c.period ||
        CASE WHEN c.sex <> '_T' OR c.area <> '_T' OR c.age <> '_T' OR c.quintile <> '_T' OR c.breakdown <> '_T'
          THEN ', ' || concat_ws(', ', c.sex, c.area, c.age, c.quintile, c.breakdown) ELSE '' END ||
        ') with a different value: ' || list_aggregate(list_transform(list_zip(d.lines, d.vals),
          x -> 'line ' || x[1] || ' has ' || CAST(x[2] AS VARCHAR)), 'string_agg', '; ')
      FROM temp.dupkeys d
      WHERE d.nv > 1 AND c.err_reason IS NULL AND c.indicator = d.indicator AND c.geo = d.geo AND c.period = d.period
        AND c.sex = d.sex AND c.area = d.area AND c.age = d.age AND c.quintile = d.quintile AND c.breakdown = d.breakdown`);
  }

  const counts = await db.one<{ total: number; bad: number }>(
    `SELECT count(*) AS total, count(err_reason) AS bad FROM temp.checked`,
  );
  const total = counts?.total ?? 0;
  const rejected = counts?.bad ?? 0;
  const issues = (
    await db.all<{ line: number; field: string; reason: string }>(
      `SELECT line, err_field AS field, err_reason AS reason FROM temp.checked
       WHERE err_reason IS NOT NULL ORDER BY line LIMIT ${MAX_LISTED_ISSUES}`,
    )
  ).map((r) => ({ file: src.file, line: r.line, field: r.field, reason: r.reason }));
  const indicators = (
    await db.all<{ indicator: string }>(
      `SELECT DISTINCT indicator FROM temp.checked WHERE err_reason IS NULL ORDER BY indicator`,
    )
  ).map((r) => r.indicator);
  const report = {
    ...base(checksum),
    rejected,
    missing: meta.missing,
    duplicates: dupStats?.exact ?? 0,
    issues,
    indicators,
  };

  if (total === 0 && meta.missing === 0) {
    await cleanup(store);
    throw invalid('no observations found in the file', { file: src.file });
  }
  if (rejected > 0 && !options.skipInvalid) {
    await cleanup(store);
    throw invalid(
      `${rejected} of ${total} rows are invalid; nothing was loaded (use --skip-invalid to load the ${total - rejected} valid rows)`,
      { file: src.file },
      { ...report, status: 'rejected', seconds: (performance.now() - t0) / 1000 } satisfies IngestReport,
    );
  }

  // 3. Commit: dataset vintage, new indicators, observations, revisions — all or nothing.
  progress(Number.NaN, 'writing');
  const dedupe = (dupStats?.exact ?? 0) > 0;
  const out = await db.transaction(async () => {
    const id = await insertDataset(store, src, options, checksum, rejected);
    await db.exec(
      `INSERT INTO obs_rows
       SELECT indicator, geo, year, CASE WHEN length(period) = 4 THEN NULL ELSE period END,
         nullif(sex, '_T'), nullif(area, '_T'), nullif(age, '_T'), nullif(quintile, '_T'), nullif(breakdown, '_T'),
         value, flags, ${id}, FALSE
       FROM temp.checked WHERE err_reason IS NULL
       ${dedupe ? 'QUALIFY row_number() OVER (PARTITION BY indicator, geo, period, sex, area, age, quintile, breakdown ORDER BY line) = 1' : ''}`,
    );
    const done = await finishDataset(store, id, meta, options);
    checkAborted(options);
    return { id, ...done };
  });
  await cleanup(store);
  progress(1, 'done');
  return {
    ...report,
    status: 'loaded',
    dataset: out.id,
    loaded: out.loaded,
    superseded: out.superseded,
    path: 'validated',
    seconds: (performance.now() - t0) / 1000,
  };
}

async function insertDataset(
  store: Store,
  src: { file: string; format: FormatId; result: ReadResult },
  options: IngestOptions,
  checksum: string,
  rejected: number,
): Promise<number> {
  const { db } = store;
  const id = (await db.value<number>(`SELECT nextval('dataset_id')`)) as number;
  const meta = src.result.meta;
  await db.exec(`INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, 0, ?, ?)`, [
    id,
    options.source ?? meta.source ?? null,
    src.file,
    src.format,
    checksum,
    options.vintage ?? meta.vintage ?? null,
    options.licence ?? null,
    options.retrieved ?? null,
    options.url ?? null,
    rejected,
    meta.missing,
  ]);
  return id;
}

/**
 * After a dataset's observations are inserted (inside the load's transaction): registers indicators
 * the store has not seen, marks older vintages of the same keys as superseded, records the row count.
 */
async function finishDataset(
  store: Store,
  id: number,
  meta: ReadMeta,
  options: IngestOptions,
  counted?: { indicators?: string[]; rows?: number },
): Promise<{ loaded: number; superseded: number; indicators: string[] }> {
  const { db } = store;
  const indicators =
    counted?.indicators ??
    (
      await db.all<{ indicator: string }>(
        `SELECT DISTINCT indicator FROM observations WHERE dataset = ? ORDER BY indicator`,
        [id],
      )
    ).map((r) => r.indicator);
  const known = new Set((await db.all<{ code: string }>('SELECT code FROM indicators')).map((r) => r.code));
  const hints = new Map(meta.indicators.map((h) => [h.code, h]));
  const fresh = indicators.filter((c) => !known.has(c));
  // One statement for all new codes (a file may bring thousands), the columns bound as lists.
  if (fresh.length) {
    const column = (f: (code: string) => string | null | undefined) =>
      listValue(fresh.map((c) => f(c) ?? null));
    await db.exec(
      `INSERT INTO indicators (code, name_en, unit, direction, sdg, source)
       SELECT unnest($1), unnest($2), unnest($3), 1, []::VARCHAR[], unnest($4)`,
      [
        column((c) => c),
        column((c) => hints.get(c)?.name),
        column((c) => hints.get(c)?.unit),
        column((c) => hints.get(c)?.source ?? options.source ?? meta.source),
      ],
    );
  }
  const loaded =
    counted?.rows ??
    (await db.value<number>('SELECT count(*) FROM observations WHERE dataset = ?', [id])) ??
    0;
  let superseded = 0;
  // Rows of another dataset exist only if another dataset does (a first load skips the scan).
  const others = (await db.value<number>('SELECT count(*) FROM datasets WHERE id <> ?', [id])) ?? 0;
  const older =
    others > 0 &&
    (await db.value<boolean>(
      `SELECT EXISTS (SELECT 1 FROM observations o WHERE o.dataset <> ? AND NOT o.superseded
      AND o.indicator IN (SELECT DISTINCT indicator FROM observations WHERE dataset = ?))`,
      [id, id],
    ));
  if (older) {
    // The new rows' canonical keys against each table's rows (a row of obs_plain is an annual total).
    const keyOf = (table: 'obs_rows' | 'obs_plain') =>
      [
        `${canonicalPeriod(table, 'o')} = n.period`,
        ...KEY_DIMENSIONS.map((d) => `${canonicalDimension(table, d, 'o')} = n.${d}`),
      ].join(' AND ');
    for (const table of ['obs_rows', 'obs_plain'] as const) {
      const join = `FROM (SELECT * FROM observations WHERE dataset = ${id}) n
         WHERE o.dataset <> ${id} AND NOT o.superseded AND o.indicator = n.indicator AND o.geo = n.geo
           AND o.year = n.year AND ${keyOf(table)}`;
      // The new rows' keys are unique, so each older row matches at most one: DuckDB's count of updated
      // rows is the number superseded (a separate count would run the same join twice).
      superseded += (await db.value<number>(`UPDATE ${table} o SET superseded = TRUE ${join}`)) ?? 0;
    }
  }
  await db.exec('UPDATE datasets SET rows = ? WHERE id = ?', [loaded, id]);
  return { loaded, superseded, indicators };
}

type FastOutcome =
  | { kind: 'loaded'; id: number; checksum: string; loaded: number; superseded: number; indicators: string[] }
  | { kind: 'unchanged'; id: number; checksum: string }
  | { kind: 'fallback'; digest: ContentDigest };

/**
 * Widest year span the duplicate check can hold as one bit per year: two UBIGINT masks, years
 * lo … lo+63 and lo+64 … lo+127 (twice as fast to aggregate as one 128-bit HUGEINT).
 */
const YEAR_BITS = 128;

/**
 * The fast path for tidy CSV: one parallel scan that inserts, with per-row work kept to what must be
 * per row (see strictInsertSql); everything else is checked on distinct values of the inserted rows:
 * the geography and indicator codes (and breakdown aliases) on the distinct codes, and that no key
 * repeats on the series of indicator × geography × dimensions (a file of 10 million rows has ~150,000),
 * which for an annual file is exact and cheap: per series, the number of rows equals the number of
 * distinct years, counted as bits set in a mask of up to 128 bits (one bit per year). JavaScript
 * reads the file once for its sha256 and the strict UTF-8 check, beside the insert when a file of
 * that name was loaded before (a file already in the store interrupts the insert), otherwise beside
 * the checks after it.
 * The load succeeds only when every record went in and every check passes; otherwise it rolls back
 * and the caller takes the full path, which normalises values and reports each rejected row with its
 * line. Both give the same observations (fast-path.test.ts).
 */
async function fastBulkLoad(
  store: Store,
  src: { file: string; format: FormatId; result: BulkCsvRead },
  options: IngestOptions,
): Promise<FastOutcome> {
  const { db } = store;
  const r = src.result;
  const known = new Map(
    (await db.all<{ checksum: string; id: number }>('SELECT checksum, id FROM datasets')).map((d) => [
      d.checksum,
      d.id,
    ]),
  );
  // Only the big insert is ever interrupted (an interrupt between statements would hit the next one).
  // A stop asked for between statements is seen before the next insert starts.
  let inInsert = false;
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    if (inInsert) db.conn.interrupt();
  };
  // The sha256 and UTF-8 read of the file. For a file loaded before under the same name it runs beside
  // the insert, so that a reload is found at once and stops it; for any other file it runs after the
  // insert, beside the checks, which use one core of the two the insert keeps busy.
  let digestP: Promise<ContentDigest> | undefined;
  const startDigest = (): Promise<ContentDigest> => {
    if (!digestP) {
      digestP = digestContent({ file: src.file, path: r.path, gzip: r.gzip }, { text: true });
      digestP.then((d) => known.has(d.checksum) && interrupt(), interrupt);
    }
    return digestP;
  };
  if (await db.value<boolean>('SELECT count(*) > 0 FROM datasets WHERE file = ?', [src.file])) startDigest();
  options.signal?.addEventListener('abort', interrupt);
  const ok = async (sql: string) => (await db.value<number>(sql, [])) === 0;
  // A file without dimension, breakdown or flags columns goes into obs_plain if all its periods are
  // years; a period that is not a year makes that insert fail, and the rows go into obs_rows instead.
  // Any other failure (a value that is not a number, a malformed line) would fail there too: the load
  // goes straight to the full path.
  const plain = !DIMENSIONS.some((d) => r.columns[d]) && !r.extraColumns.length && !r.columns.flags;
  const tables = plain ? (['obs_plain', 'obs_rows'] as const) : (['obs_rows'] as const);
  let open = false;
  try {
    let table: (typeof tables)[number] | undefined;
    let id = 0;
    let notAYear = false;
    for (const t of tables) {
      await db.exec('BEGIN TRANSACTION');
      open = true;
      id = await insertDataset(store, src, options, '', 0);
      if (interrupted) break;
      inInsert = true;
      try {
        await db.exec(`INSERT INTO ${t} ${strictInsertSql(strictSource(r), id, t)}`);
        table = t;
      } catch (e) {
        // A row the strict insert cannot take (or an interrupt): decided below.
        notAYear = e instanceof Error && e.message.includes(NOT_A_YEAR);
      } finally {
        inInsert = false;
      }
      if (table || !notAYear || options.signal?.aborted || interrupted) break;
      await db.exec('ROLLBACK');
      open = false;
    }
    checkAborted(options);
    const end = async () => {
      if (open) await db.exec('ROLLBACK');
      open = false;
      await db.exec('DROP TABLE IF EXISTS temp.new_series');
    };
    // A file already in the store is reported unchanged, whatever the checks found.
    const unchanged = async (): Promise<FastOutcome | undefined> => {
      const digest = await startDigest();
      const loadedBefore = known.get(digest.checksum);
      if (loadedBefore === undefined) return undefined;
      await end();
      return { kind: 'unchanged', id: loadedBefore, checksum: digest.checksum };
    };
    const fallback = async (): Promise<FastOutcome> => {
      const same = await unchanged();
      if (same) return same;
      await end();
      return { kind: 'fallback', digest: await startDigest() };
    };
    if (!table) return fallback();
    startDigest();

    const mine = `FROM ${table} WHERE dataset = ${id}`;
    const span = await db.one<{ lo: number | null; hi: number | null; sub: number; rows: number }>(
      `SELECT min(year) AS lo, max(year) AS hi, ${table === 'obs_rows' ? 'count(period)' : '0'} AS sub,
        count(*) AS rows ${mine}`,
    );
    if (!span || span.lo === null || span.hi === null) return fallback(); // no rows
    const annual = span.sub === 0 && span.hi - span.lo < YEAR_BITS;
    const dims: string[] = DIMENSIONS.filter((d) => r.columns[d]);
    if (r.extraColumns.length) dims.push('breakdown');
    const dimList = dims.map((d) => `, ${d}`).join('');
    // The distinct codes against the reference tables.
    const codes = await db.one<{
      unknown_geo: number;
      mapped_geo: number;
      bad_indicator: number;
      aliased: number;
      indicators: string[];
    }>(`
      WITH g AS (SELECT DISTINCT geo ${mine}), i AS (SELECT DISTINCT indicator ${mine})
      SELECT
        (SELECT count(*) FROM g LEFT JOIN geo_aliases ga ON ga.code = g.geo WHERE ga.iso3 IS NULL) AS unknown_geo,
        (SELECT count(*) FROM g JOIN geo_aliases ga ON ga.code = g.geo WHERE ga.iso3 <> g.geo) AS mapped_geo,
        (SELECT count(*) FROM i
          WHERE indicator <> trim(indicator) OR indicator = '' OR length(indicator) > 100) AS bad_indicator,
        (SELECT count(*) FROM i JOIN indicators ia ON ia.code = i.indicator AND ia.breakdown_of IS NOT NULL) AS aliased,
        (SELECT list(indicator ORDER BY indicator) FROM i) AS indicators`);
    if (!codes || codes.unknown_geo || codes.bad_indicator) return fallback();
    // No key repeats. For an annual file, per series: rows = distinct years, counted as bits set in a
    // mask of its years (one UBIGINT when the file spans at most 64 years, two otherwise).
    const bit = (from: number) => `CAST(1 AS UBIGINT) << CAST(year - ${from} AS UBIGINT)`;
    const masks =
      span.hi - span.lo < 64
        ? `bit_or(${bit(span.lo)}) AS years_lo, CAST(0 AS UBIGINT) AS years_hi`
        : `bit_or(CASE WHEN year < ${span.lo + 64} THEN ${bit(span.lo)} ELSE 0 END) AS years_lo,
           bit_or(CASE WHEN year >= ${span.lo + 64} THEN ${bit(span.lo + 64)} ELSE 0 END) AS years_hi`;
    if (codes.mapped_geo || codes.aliased) {
      // Keys change on the way in (a geography code mapped to ISO3, a breakdown code to the indicator it
      // breaks down): the series are grouped by their codes as read, then by the key they are stored under.
      await db.exec(`CREATE OR REPLACE TEMP TABLE new_series AS
        SELECT indicator, geo${dimList}, count(*) AS n,
          ${annual ? masks : 'CAST(NULL AS UBIGINT) AS years_lo, CAST(NULL AS UBIGINT) AS years_hi'}
        ${mine} GROUP BY ALL`);
      const col = (d: string) => (dims.includes(d) ? `s.${d}` : 'CAST(NULL AS VARCHAR)');
      const checks = await db.one<{ alias_conflict: number; repeated: number }>(`
        WITH s AS (
          SELECT ga.iso3, ia.breakdown_of, ia.sex AS alias_sex, ia.area AS alias_area, s.indicator AS code,
            ${col('sex')} AS sex, ${col('area')} AS area, ${col('age')} AS age,
            ${col('quintile')} AS quintile, ${col('breakdown')} AS breakdown, s.n, s.years_lo, s.years_hi
          FROM temp.new_series s LEFT JOIN geo_aliases ga ON ga.code = s.geo
          LEFT JOIN indicators ia ON ia.code = s.indicator AND ia.breakdown_of IS NOT NULL
        ), k AS (
          SELECT coalesce(breakdown_of, code) AS indicator, iso3 AS geo, coalesce(alias_sex, sex) AS sex,
            coalesce(alias_area, area) AS area, age, quintile, breakdown, n, years_lo, years_hi FROM s
        )
        SELECT
          (SELECT count(*) FROM s WHERE breakdown_of IS NOT NULL AND
            ((alias_sex IS NOT NULL AND coalesce(sex, '_T') NOT IN ('_T', alias_sex)) OR
             (alias_area IS NOT NULL AND coalesce(area, '_T') NOT IN ('_T', alias_area)))) AS alias_conflict,
          ${
            annual
              ? `(SELECT count(*) FROM (SELECT sum(n) AS n, bit_count(bit_or(years_lo)) + bit_count(bit_or(years_hi)) AS y
                  FROM k GROUP BY indicator, geo, sex, area, age, quintile, breakdown) WHERE n <> y)`
              : '0'
          } AS repeated`);
      await db.exec('DROP TABLE IF EXISTS temp.new_series');
      if (!checks || checks.alias_conflict || checks.repeated) return fallback();
    } else if (annual) {
      // Keys stored as read: one pass, grouped by a 64-bit hash of the series key. Two series whose hashes
      // collide are counted as one, which can only make rows and bits disagree (a false alarm that sends
      // the load to the exact full path), never hide a repeated year.
      const repeated = await db.value<number>(`SELECT count(*) FROM (
          SELECT count(*) AS n, ${masks} ${mine} GROUP BY hash(indicator, geo${dimList}))
        WHERE n <> bit_count(years_lo) + bit_count(years_hi)`);
      if (repeated !== 0) return fallback();
    }
    if (span.sub > 0) {
      const pattern = PERIOD_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');
      if (
        !(await ok(`SELECT count(*) FROM (SELECT DISTINCT period ${mine} AND period IS NOT NULL)
          WHERE NOT regexp_full_match(period, '${pattern}')`))
      )
        return fallback();
    }
    if (codes.mapped_geo)
      await db.exec(`UPDATE ${table} o SET geo = ga.iso3 FROM geo_aliases ga
        WHERE o.dataset = ${id} AND ga.code = o.geo AND ga.iso3 <> o.geo`);
    if (codes.aliased) {
      // A breakdown code (WDI IT.NET.USER.FE.ZS = IT.NET.USER.ZS for women) is stored under the
      // indicator it breaks down, with its dimensions; from obs_plain its rows move to obs_rows.
      const alias = `indicators a WHERE o.dataset = ${id} AND a.code = o.indicator AND a.breakdown_of IS NOT NULL`;
      if (table === 'obs_rows')
        await db.exec(`UPDATE obs_rows o SET indicator = a.breakdown_of, sex = coalesce(a.sex, o.sex),
            area = coalesce(a.area, o.area) FROM ${alias}`);
      else {
        await db.exec(`INSERT INTO obs_rows SELECT a.breakdown_of, o.geo, o.year, NULL, a.sex, a.area, NULL,
            NULL, NULL, o.value, NULL, o.dataset, FALSE FROM obs_plain o, ${alias}`);
        await db.exec(`DELETE FROM obs_plain o USING ${alias}`);
      }
    }
    if (!annual) {
      // Sub-annual periods, or more than YEAR_BITS years: the exact check on the whole key.
      if (
        !(await ok(`SELECT count(*) - count(DISTINCT hash(indicator, geo, year, period, sex, area, age,
          quintile, breakdown)) FROM observations WHERE dataset = ${id}`))
      )
        return fallback();
    }
    const same = await unchanged();
    if (same) return same;
    const { checksum } = await startDigest();
    await db.exec('UPDATE datasets SET checksum = ? WHERE id = ?', [checksum, id]);
    const out = await finishDataset(store, id, r.meta, options, {
      rows: span.rows,
      indicators: codes.aliased ? undefined : codes.indicators,
    });
    checkAborted(options);
    await db.exec('COMMIT');
    open = false;
    return { kind: 'loaded', id, checksum, ...out };
  } catch (e) {
    if (open) await db.exec('ROLLBACK').catch(() => undefined);
    await db.exec('DROP TABLE IF EXISTS temp.new_series').catch(() => undefined);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
  }
}

async function cleanup(store: Store): Promise<void> {
  await store.db.exec(
    'DROP TABLE IF EXISTS temp.checked; DROP TABLE IF EXISTS temp.dupkeys; DROP TABLE IF EXISTS temp.stage',
  );
}
