/** Commands over the observatory store: init, ingest, indicators, series, groups, datasets, export, rebuild. */
import { type Command, Option } from 'commander';
import { formatIssue, PontisError } from '../../core/errors.ts';
import { FORMATS, type FormatId } from '../../ingest/reader.ts';
import { importGroups } from '../../store/custom-groups.ts';
import { exportSeries, exportStore, rebuildStore } from '../../store/export.ts';
import { ingestFile } from '../../store/ingest-files.ts';
import type { IngestReport } from '../../store/load.ts';
import { MAX_LISTED_ISSUES } from '../../store/load.ts';
import { groupMembers, listDatasets, listGroups, listIndicators, querySeries } from '../../store/queries.ts';
import { type DimFilters, parseDim, parseList, parseYear } from '../args.ts';
import { type CliContext, type GlobalOptions, storePath } from '../context.ts';
import { emit, outputFormat } from '../output.ts';
import { startProgress } from '../progress.ts';

const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions;

function printReport(r: IngestReport): void {
  const head =
    r.status === 'unchanged'
      ? `${r.file}: already loaded as dataset ${r.dataset} (same checksum); nothing changed`
      : r.status === 'loaded'
        ? `${r.file}: loaded ${r.loaded} observations as dataset ${r.dataset} (${r.format}, ${r.indicators.length} indicator(s), ${r.seconds.toFixed(2)} s)`
        : `${r.file}: rejected: ${r.rejected} invalid row(s); nothing was loaded`;
  process.stderr.write(`${head}\n`);
  const notes: string[] = [];
  if (r.missing) notes.push(`${r.missing} cell(s) marked missing in the source were skipped`);
  if (r.duplicates) notes.push(`${r.duplicates} exact duplicate row(s) kept once`);
  if (r.superseded) notes.push(`${r.superseded} observation(s) of earlier vintages superseded`);
  if (r.status === 'loaded' && r.rejected)
    notes.push(`${r.rejected} invalid row(s) skipped (--skip-invalid)`);
  for (const n of notes) process.stderr.write(`  ${n}\n`);
  for (const i of r.issues) process.stderr.write(`  ${formatIssue(i)}\n`);
  if (r.rejected > r.issues.length)
    process.stderr.write(
      `  … and ${r.rejected - r.issues.length} more (only the first ${MAX_LISTED_ISSUES} are listed)\n`,
    );
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the store and load the bundled data (done automatically on first use)')
    .option('--no-data', 'create an empty store with reference data only (countries, groups, indicators)')
    .action(async (o: { data: boolean }, cmd: Command) => {
      const store = await ctx.store(cmd, { bundled: o.data });
      const ds = await listDatasets(store);
      process.stderr.write(`store ${store.path}: ${ds.length} dataset(s)\n`);
    });

  program
    .command('ingest')
    .description('load indicator files; each file is loaded whole or not at all')
    .argument(
      '<files...>',
      'files to load (CSV, WDI CSV, World Bank / UN SDG / SDMX JSON, SDMX-CSV, ITU CSV, XLSX; .gz ok)',
    )
    .addOption(new Option('--format <format>', 'override format detection').choices([...FORMATS]))
    .option('--skip-invalid', 'load the valid rows of a file that has invalid ones')
    .option('--source <name>', 'producer of the data, recorded with the dataset')
    .option('--vintage <text>', 'vintage of the data (e.g. release date), recorded with the dataset')
    .option('--licence <id>', 'licence of the data, recorded with the dataset')
    .action(
      async (
        files: string[],
        o: { format?: FormatId; skipInvalid?: boolean; source?: string; vintage?: string; licence?: string },
        cmd: Command,
      ) => {
        const store = await ctx.store(cmd, { bundled: false });
        const reports: IngestReport[] = [];
        let failed = 0;
        // Ctrl-C: stop the running query and make the load roll back; nothing is written.
        const abort = new AbortController();
        const onSigint = () => {
          abort.abort();
          store.interrupt();
        };
        process.once('SIGINT', onSigint);
        try {
          for (const file of files) {
            const p = startProgress(`loading ${file}`, store);
            try {
              const r = await ingestFile(store, file, {
                ...o,
                signal: abort.signal,
                onProgress: (f, phase) => p.update(f, phase),
              });
              p.stop();
              reports.push(r);
              printReport(r);
            } catch (e) {
              p.stop();
              if (abort.signal.aborted)
                throw new PontisError('interrupted', `${file}: load interrupted; nothing was written`);
              failed++;
              if (
                e instanceof PontisError &&
                e.details &&
                typeof e.details === 'object' &&
                'issues' in e.details
              ) {
                const r = e.details as IngestReport;
                reports.push(r);
                printReport(r);
              } else if (e instanceof PontisError) {
                process.stderr.write(`${e.location.file ? '' : `${file}: `}${e.toString()}\n`);
              } else throw e;
            }
          }
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
        if (globals(cmd).json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        else if (globals(cmd).csv)
          emit(
            reports.map(({ issues, indicators, ...r }) => ({
              ...r,
              indicators: indicators.join(';'),
              issues: issues.length,
            })),
            { csv: true },
          );
        if (failed > 0)
          throw new PontisError('invalid_input', `${failed} of ${files.length} file(s) not loaded`);
      },
    );

  program
    .command('indicators')
    .description('list indicators with their metadata and coverage')
    .option('--search <text>', 'filter by code, name or SDG indicator')
    .action(async (o: { search?: string }, cmd: Command) => {
      const store = await ctx.store(cmd);
      const rows = await listIndicators(store, { search: o.search });
      emit(rows, globals(cmd), {
        columns:
          outputFormat(globals(cmd)) === 'table'
            ? ['code', 'name', 'unit', 'sdg', 'observations', 'geos', 'first_year', 'last_year']
            : undefined,
      });
    });

  program
    .command('series')
    .description('observations of one indicator')
    .requiredOption('--indicator <code>', 'indicator code (e.g. IT.NET.USER.ZS)')
    .option('--geo <codes>', 'countries, comma-separated ISO3 / ISO2 / M49', parseList)
    .option('--from <year>', 'first year', parseYear)
    .option('--to <year>', 'last year', parseYear)
    .option(
      '--dim <dim=code>',
      'dimension filter, repeatable (sex=F, area=U, age=…, quintile=Q1, breakdown=…; * for all)',
      parseDim,
    )
    .option('--limit <n>', 'at most n rows', (v) => Number.parseInt(v, 10))
    .action(
      async (
        o: {
          indicator: string;
          geo?: string[];
          from?: number;
          to?: number;
          dim?: DimFilters;
          limit?: number;
        },
        cmd: Command,
      ) => {
        const store = await ctx.store(cmd);
        const rows = await querySeries(store, {
          indicator: o.indicator,
          geo: o.geo,
          from: o.from,
          to: o.to,
          dims: o.dim,
          limit: o.limit,
        });
        emit(rows, globals(cmd), {
          columns:
            outputFormat(globals(cmd)) === 'table'
              ? ['geo', 'name', 'period', 'sex', 'area', 'breakdown', 'value', 'flags', 'vintage']
              : undefined,
        });
      },
    );

  program
    .command('groups')
    .description('list groups of countries, or the members of one group as at a year')
    .argument('[name]', 'group code or name (e.g. LDC, DEVELOPED, WB_L, M49_002)')
    .option('--year <year>', 'membership as at 1 July of this year (default: today)', parseYear)
    .action(async (name: string | undefined, o: { year?: number }, cmd: Command) => {
      const store = await ctx.store(cmd);
      if (name) emit(await groupMembers(store, name, { year: o.year }), globals(cmd));
      else emit(await listGroups(store, { year: o.year }), globals(cmd));
    });

  program
    .command('import-groups')
    .description('add custom groups from a CSV with columns group, geo[, valid_from, valid_to, name]')
    .argument('<file>', 'CSV file')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const store = await ctx.store(cmd);
      const r = await importGroups(store, file);
      process.stderr.write(`${file}: ${r.groups} group(s), ${r.memberships} membership(s) imported\n`);
    });

  program
    .command('datasets')
    .description('list loaded dataset vintages with their provenance')
    .action(async (_o: unknown, cmd: Command) => {
      const store = await ctx.store(cmd);
      const rows = await listDatasets(store);
      emit(rows, globals(cmd), {
        columns:
          outputFormat(globals(cmd)) === 'table'
            ? ['id', 'file', 'format', 'source', 'vintage', 'rows', 'rejected', 'loaded_at']
            : undefined,
      });
    });

  program
    .command('export')
    .description(
      'write indicators to Parquet or CSV; with --all, the whole store to a directory of Parquet files',
    )
    .option('--indicator <codes>', 'indicator codes, comma-separated or repeated', parseList)
    .option('--geo <codes>', 'countries, comma-separated', parseList)
    .option('--from <year>', 'first year', parseYear)
    .option('--to <year>', 'last year', parseYear)
    .option('--all', 'export every table (rebuild a store from it with `pontis rebuild DIR`)')
    .requiredOption('--out <path>', 'FILE.parquet, FILE.csv, or a directory with --all')
    .action(
      async (
        o: { indicator?: string[]; geo?: string[]; from?: number; to?: number; all?: boolean; out: string },
        cmd: Command,
      ) => {
        const store = await ctx.store(cmd);
        if (o.all) {
          const r = await exportStore(store, o.out);
          process.stderr.write(`exported ${r.tables} table(s) to ${r.dir}\n`);
          return;
        }
        if (!o.indicator?.length)
          throw new PontisError('usage', 'give --indicator CODE (or --all)', { field: 'indicator' });
        const r = await exportSeries(store, {
          indicators: o.indicator,
          out: o.out,
          geo: o.geo,
          from: o.from,
          to: o.to,
        });
        process.stderr.write(`wrote ${r.rows} observation(s) to ${r.file}\n`);
      },
    );

  program
    .command('rebuild')
    .description('create a new store (--store PATH) from a directory written by `pontis export --all`')
    .argument('<dir>', 'export directory')
    .action(async (dir: string, _o: unknown, cmd: Command) => {
      const path = storePath(cmd);
      const store = await rebuildStore(dir, path);
      const n = (await store.db.value<number>('SELECT count(*) FROM observations')) ?? 0;
      store.close();
      process.stderr.write(`rebuilt ${path} with ${n} observation(s)\n`);
    });
}
