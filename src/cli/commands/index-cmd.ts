/**
 * `pontis index build|audit SPEC`: composite indices (src/indexer). Thin shell: loads a spec with its
 * data (COINr-style iData/iMeta CSV files, or the store's observations for one year), runs the
 * engine and writes every result as CSV into --out (units as rows, one column per indicator or
 * aggregate code). The listing printed on stdout follows --json / --csv.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { PontisError, usage } from '../../core/errors.ts';
import type { analyse } from '../../indexer/analysis.ts';
import { auditIndex } from '../../indexer/audit.ts';
import { type Coverage, indexCoverage } from '../../indexer/coverage.ts';
import type { IndexData } from '../../indexer/data.ts';
import type { Matrix } from '../../indexer/matrix.ts';
import { dataFromObservations, type ObservationLike, sourceColumns } from '../../indexer/observations.ts';
import { type PipelineResult, runPipeline, STAGE_NAMES } from '../../indexer/pipeline.ts';
import type { IndexSpec } from '../../indexer/spec.ts';
import { querySeries } from '../../store/queries.ts';
import { parsePositiveInt, parseYear } from '../args.ts';
import type { CliContext, GlobalOptions } from '../context.ts';
import { emit, type Row, toCsv } from '../output.ts';
import { startProgress } from '../progress.ts';

interface SourceOptions {
  data?: string;
  meta?: string;
  fromStore?: boolean;
  year?: number;
  out?: string;
}

const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions;

function matrixRows(m: Matrix, names?: Map<string, string>): Row[] {
  const n = m.rows.length;
  return m.rows.map((u, i) => {
    const r: Record<string, unknown> = { unit: u };
    if (names) r.name = names.get(u) ?? '';
    m.cols.forEach((c, j) => {
      const v = m.data[j * n + i] as number;
      r[c] = Number.isNaN(v) ? null : v;
    });
    return r;
  });
}

function writeCsv(dir: string, file: string, rows: readonly Row[], columns?: string[]): void {
  writeFileSync(join(dir, file), toCsv(rows, columns ?? Object.keys(rows[0] ?? {})));
}

async function loadFromStore(
  spec: IndexSpec,
  year: number,
  cmd: Command,
  ctx: CliContext,
): Promise<IndexData> {
  const store = await ctx.store(cmd);
  const window = spec.steps.impute.method === 'nearest-year' ? spec.steps.impute.window : 0;
  const rows: ObservationLike[] = [];
  const missing: string[] = [];
  for (const { column, source } of sourceColumns(spec)) {
    let got: { indicator: string; geo: string; name: string | null; year: number; value: number }[] = [];
    try {
      got = await querySeries(store, { indicator: source, from: year - window, to: year + window });
    } catch (e) {
      if (!(e instanceof PontisError) || e.code !== 'not_found') throw e;
    }
    if (!got.some((r) => r.year === year)) missing.push(source === column ? column : `${column} (${source})`);
    for (const r of got)
      rows.push({ indicator: source, geo: r.geo, name: r.name, year: r.year, value: r.value });
  }
  if (missing.length)
    process.stderr.write(`pontis: no data in the store for ${year}: ${missing.join(', ')}\n`);
  return dataFromObservations(rows, spec, { year, window });
}

async function load(specFile: string, o: SourceOptions, cmd: Command, ctx: CliContext) {
  // The spec reader (YAML) is loaded by the index commands only.
  const { loadIndex, loadSpecFile } = await import('../../indexer/load.ts');
  if (o.fromStore) {
    if (o.data || o.meta) throw usage('--from-store cannot be combined with --data / --meta');
    if (o.year === undefined) throw usage('--from-store needs --year');
    const spec = loadSpecFile(specFile);
    return { spec, data: await loadFromStore(spec, o.year, cmd, ctx) };
  }
  return loadIndex(specFile, {
    ...(o.data ? { data: o.data } : {}),
    ...(o.meta ? { meta: o.meta } : {}),
    ...(o.year !== undefined ? { year: o.year } : {}),
  });
}

function names(data: IndexData): Map<string, string> | undefined {
  return data.names ? new Map(data.values.rows.map((u, i) => [u, data.names?.[i] ?? u])) : undefined;
}

function scoreRows(r: PipelineResult, nm?: Map<string, string>): Row[] {
  const n = r.units.length;
  const agg = r.stages.aggregated;
  return r.units
    .map((u, i) => {
      const row: Record<string, unknown> = { unit: u };
      if (nm) row.name = nm.get(u) ?? '';
      // a unit without a score has no rank either: both are left empty (blank in tables, empty in CSV)
      row.rank = Number.isNaN(r.ranks[i] as number) ? null : r.ranks[i];
      row.score = Number.isNaN(r.scores[i] as number) ? null : r.scores[i];
      for (const a of r.tree.aggregates.slice(0, -1)) {
        const v = agg.data[agg.cols.indexOf(a) * n + i] as number;
        row[a] = Number.isNaN(v) ? null : v;
      }
      return row;
    })
    .sort((a, b) => ((a.rank as number) || Infinity) - ((b.rank as number) || Infinity));
}

function writeBuild(dir: string, r: PipelineResult, cov: Coverage, nm?: Map<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (f: string, rows: readonly Row[], cols?: string[]) => {
    writeCsv(dir, f, rows, cols);
    files.push(f);
  };
  put('scores.csv', scoreRows(r, nm));
  for (const s of STAGE_NAMES) put(`${s}.csv`, matrixRows(r.stages[s], nm));
  if (r.contributions) put('contributions.csv', matrixRows(r.contributions, nm));
  put('imputation.csv', r.reports.impute.cells, ['unit', 'indicator', 'value', 'from']);
  put('screening.csv', r.reports.screen);
  put(
    'treatment.csv',
    r.reports.treat.map((t) => ({ ...t, units: t.units.join(';') })),
  );
  put(
    'missing-indicators.csv',
    cov.missing.map(({ code, name, parent, source }) => ({ indicator: code, name, parent, source })),
    ['indicator', 'name', 'parent', 'source'],
  );
  put(
    'coverage.csv',
    cov.aggregates.map((a) => ({
      aggregate: a.code,
      name: a.name,
      indicators: a.indicators,
      available: a.available,
      missing: a.missing.join(';'),
    })),
  );
  writeFileSync(join(dir, 'log.json'), `${JSON.stringify(r.log, null, 2)}\n`);
  files.push('log.json');
  return files;
}

export function register(program: Command, ctx: CliContext): void {
  const index = program
    .command('index')
    .description('build and audit composite indices (COINr-style specs, ITU IDI)');
  const sourceOptions = (c: Command) =>
    c
      .argument('<spec>', 'index spec (JSON or YAML), e.g. recipes/asem/asem.yaml')
      .option('--data <file>', 'iData CSV: one row per unit (or per unit and Time), one column per indicator')
      .option(
        '--meta <file>',
        'iMeta CSV: Level, iCode, Direction, Weight, Denominator, Parent, Type, Target',
      )
      .option('--from-store', "read the spec's indicators (their `source` codes) from the store")
      .option('--year <year>', 'year of the index (with --from-store, or to pick a panel year)', parseYear)
      .option('--out <dir>', 'directory for the CSV outputs');

  sourceOptions(index.command('build'))
    .description('run every step and write scores, ranks and each stage as CSV')
    .action(async (specFile: string, o: SourceOptions, cmd: Command) => {
      const { spec, data } = await load(specFile, o, cmd, ctx);
      const r = runPipeline(data, spec);
      const cov = indexCoverage(r, spec);
      const nm = names(data);
      if (o.out) {
        const files = writeBuild(o.out, r, cov, nm);
        process.stderr.write(`wrote ${files.length} files to ${o.out}: ${files.join(', ')}\n`);
      }
      if (cov.missing.length) {
        process.stderr.write(
          [
            `pontis: ${cov.missing.length} of ${cov.indicators.length} indicators have no data and are left out:`,
            ...cov.missing.map(
              (x) => `  ${x.code} (${x.name})${x.source !== x.code ? ` [source ${x.source}]` : ''}`,
            ),
            ...cov.statements.map((s) => `  ${s}`),
            '',
          ].join('\n'),
        );
      }
      const rows = scoreRows(r, nm).map((x) => {
        const { unit, name, rank, score } = x as Record<string, unknown>;
        return nm ? { unit, name, rank, score } : { unit, rank, score };
      });
      emit(rows, globals(cmd), {
        meta: {
          index: spec.name,
          units: r.units.length,
          steps: r.steps,
          missingIndicators: cov.missing.map((x) => x.code),
          coverage: cov.statements,
        },
        footer: [
          `${spec.name}: ${r.units.length} units, ${r.tree.indicators.length - cov.missing.length} of ${r.tree.indicators.length} indicators with data`,
          ...(cov.missing.length ? [`missing: ${cov.missing.map((x) => x.code).join(', ')}`] : []),
          ...cov.statements,
        ].join('\n'),
      });
    });

  sourceOptions(index.command('audit'))
    .description('statistics, correlations, alpha, PCA, rank intervals and sensitivity indices')
    .option('--runs <n>', 'Monte Carlo runs of the uncertainty analysis', parsePositiveInt)
    .option('--seed <n>', 'seed of the random draws', (v) => Number.parseInt(v, 10))
    .option(
      '--sensitivity-n <n>',
      'base sample size N of the sensitivity analysis (cost N·(k+2))',
      parsePositiveInt,
    )
    .option('--threads <n>', 'threads, this one included (default: all cores)', parsePositiveInt)
    .addOption(new Option('--no-sensitivity', 'skip the variance-based sensitivity analysis'))
    .action(
      async (
        specFile: string,
        o: SourceOptions & {
          runs?: number;
          seed?: number;
          sensitivityN?: number;
          threads?: number;
          sensitivity: boolean;
        },
        cmd: Command,
      ) => {
        if (o.seed !== undefined && !Number.isInteger(o.seed)) throw usage('--seed: expected an integer');
        const { spec, data } = await load(specFile, o, cmd, ctx);
        const r = runPipeline(data, spec);
        const audit = auditIndex(r, data, spec);
        const p = startProgress('uncertainty and sensitivity');
        let a: Awaited<ReturnType<typeof analyse>>;
        try {
          const { analyse } = await import('../../indexer/analysis.ts');
          a = await analyse(data, spec, {
            ...(o.runs !== undefined ? { runs: o.runs } : {}),
            ...(o.seed !== undefined ? { seed: o.seed } : {}),
            ...(o.sensitivityN !== undefined ? { sensitivityN: o.sensitivityN } : {}),
            ...(o.threads !== undefined ? { threads: o.threads } : {}),
            noSensitivity: !o.sensitivity,
            onProgress: (done, total) => p.update(done / total, `${done}/${total} runs`),
          });
        } finally {
          p.stop();
        }
        const nm = names(data);
        const intervals = a.intervals.map((x) => ({ ...(nm ? { name: nm.get(x.unit) ?? '' } : {}), ...x }));
        if (o.out) {
          mkdirSync(o.out, { recursive: true });
          writeCsv(o.out, 'statistics-raw.csv', audit.statistics.raw);
          writeCsv(o.out, 'statistics-normalised.csv', audit.statistics.normalised);
          writeCsv(o.out, 'correlations.csv', audit.correlations);
          writeCsv(
            o.out,
            'aggregates.csv',
            audit.aggregates.map((g) => ({
              code: g.code,
              level: g.level,
              children: g.children.join(';'),
              alpha: g.alpha,
              pcaFirstShare: g.pcaFirstShare,
              pcaEigenvalues: g.pcaEigenvalues.join(';'),
              pcaLoadings: g.pcaLoadings.join(';'),
            })),
          );
          writeCsv(o.out, 'effective-weights.csv', audit.effectiveWeights);
          writeCsv(
            o.out,
            'removal.csv',
            audit.removal.map((x) => ({
              code: x.code,
              level: x.level,
              meanAbsRankChange: x.meanAbsRankChange,
              maxAbsRankChange: x.maxAbsRankChange,
            })),
          );
          writeCsv(o.out, 'rank-intervals.csv', intervals);
          if (a.sensitivity) {
            const s = a.sensitivity.summary;
            writeCsv(
              o.out,
              'sensitivity.csv',
              a.factors.map((f, i) => ({
                factor: f,
                first: s.first[i],
                firstLow: s.firstCi[i]?.[0],
                firstHigh: s.firstCi[i]?.[1],
                total: s.total[i],
                totalLow: s.totalCi[i]?.[0],
                totalHigh: s.totalCi[i]?.[1],
              })),
            );
            writeCsv(
              o.out,
              'sensitivity-units.csv',
              a.sensitivity.units.map((u) => {
                const row: Record<string, unknown> = { unit: u.unit };
                a.factors.forEach((f, i) => {
                  row[`first_${f}`] = u.first[i];
                  row[`total_${f}`] = u.total[i];
                });
                return row;
              }),
            );
          }
          writeFileSync(
            join(o.out, 'analysis.json'),
            `${JSON.stringify({ factors: a.factors, runs: a.runs, seed: a.seed, meanAbsRankShift: a.meanAbsRankShift, failures: a.failures, sensitivityN: a.sensitivity?.n, evaluations: a.sensitivity?.evaluations, ms: a.ms }, null, 2)}\n`,
          );
          process.stderr.write(`wrote the audit to ${o.out}\n`);
        }
        emit(intervals, globals(cmd), {
          meta: {
            index: spec.name,
            factors: a.factors,
            runs: a.runs,
            seed: a.seed,
            sensitivity: a.sensitivity?.summary,
          },
          footer: [
            `${a.runs} runs over ${a.factors.join(', ')} in ${(a.ms.total / 1000).toFixed(2)} s (seed ${a.seed}); mean |rank shift| ${a.meanAbsRankShift.toFixed(2)}`,
            ...(a.sensitivity
              ? [
                  `sensitivity of the mean |rank shift| (N = ${a.sensitivity.n}, ${a.sensitivity.evaluations} runs): first order / total order`,
                  ...a.factors.map(
                    (f, i) =>
                      `  ${f.padEnd(16)} ${(a.sensitivity?.summary.first[i] ?? Number.NaN).toFixed(3)} / ${(a.sensitivity?.summary.total[i] ?? Number.NaN).toFixed(3)}`,
                  ),
                ]
              : []),
          ].join('\n'),
        });
      },
    );
}
