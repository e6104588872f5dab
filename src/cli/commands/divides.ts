/**
 * Divide statistics: aggregate, gap, affordability, inequality, progress. Thin shells over
 * src/analysis; every table is followed by the method, the coverage rule and the sources.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { affordability } from '../../analysis/affordability.ts';
import { type AggregateRequest, aggregate, aggregateMembers } from '../../analysis/aggregate.ts';
import { convergence } from '../../analysis/convergence.ts';
import { type GapReport, gap } from '../../analysis/gap.ts';
import { gapBetweenGroups } from '../../analysis/group-gap.ts';
import { inequality } from '../../analysis/inequality.ts';
import { AGGREGATE_PRESETS, GAP_PRESETS, type Published } from '../../analysis/presets.ts';
import { progress } from '../../analysis/progress.ts';
import { indicatorUnits, isCountUnit } from '../../analysis/units.ts';
import { invalid, usage } from '../../core/errors.ts';
import { AGGREGATE_METHODS, type AggregateMethod } from '../../stats/aggregate.ts';
import type { Coverage } from '../../stats/coverage.ts';
import type { MethodInfo } from '../../stats/result.ts';
import { cagr } from '../../stats/trend.ts';
import type { SourceRef } from '../../store/sources.ts';
import { parseList, parseYear } from '../args.ts';
import type { CliContext, GlobalOptions } from '../context.ts';
import { emit, outputFormat } from '../output.ts';

const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions;

/** 2019 | 2015,2019 | 2010-2019 */
export function parseYears(v: string, prev: number[] = []): number[] {
  const out = [...prev];
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})\s*[-:]\s*(\d{4})$/.exec(part);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > b) throw new InvalidArgumentError(`range ${part} runs backwards`);
      for (let y = a; y <= b; y++) out.push(y);
    } else out.push(parseYear(part));
  }
  return out;
}

function parseNonNegInt(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`expected a whole number of years, got "${v}"`);
  return Number(v);
}

function parseShare(v: string): number {
  const x = Number(v);
  if (!/^\s*[\d.]+\s*$/.test(v) || !(x >= 0 && x <= 1))
    throw new InvalidArgumentError(`expected a share between 0 and 1, got "${v}"`);
  return x;
}

function parseNumber(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`expected a number, got "${v}"`);
  return x;
}

const round = (x: number | null | undefined, d = 4): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d));
const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`;

function coverageCols(c: Coverage) {
  return {
    countries: c.withData,
    members: c.members,
    country_share: round(c.countShare),
    population_share: round(c.weightShare),
    filled: c.filled,
  };
}

/**
 * Columns: CSV rows carry every method and coverage column (a row read on its own says how it was
 * computed and how much of the group it covers); the table keeps the narrower set and prints the
 * method under it. JSON rows carry all of them.
 */
function columnsFor(cmd: Command, table: string[], csv: string[]): string[] {
  return outputFormat(globals(cmd)) === 'csv' ? csv : table;
}

const COVERAGE_COLUMNS = ['countries', 'members', 'country_share', 'population_share', 'filled'];

/**
 * Refuses to average counts silently: with no method, denominator or weight the default is a simple
 * mean, which for a count (subscriptions, people) across countries of different size is no group
 * figure at all. The user is told how to get the rate, or to ask for the mean explicitly.
 */
async function refuseCountMean(store: Parameters<typeof indicatorUnits>[0], req: AggregateRequest) {
  if (req.method !== undefined || req.denominator !== undefined || req.weight !== undefined) return;
  const codes = typeof req.indicator === 'string' ? [req.indicator] : [...req.indicator];
  const counts = (await indicatorUnits(store, codes)).filter((u) => isCountUnit(u.unit));
  if (counts.length === 0) return;
  const what = counts.map((c) => `${c.asked} (unit: ${c.unit})`).join(', ');
  throw usage(
    `${what} ${counts.length > 1 ? 'are counts' : 'is a count'}: a simple mean of counts across countries of different size is not a group figure. For a rate per 100 people give --denominator WPP.POP --scale 100 --method ratio (Σ count ÷ Σ population × 100); to average the counts anyway, ask for it with --method mean (or median).`,
    { field: 'method' },
  );
}

function methodLines(m: MethodInfo): string[] {
  const params = Object.entries(m.params ?? {})
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `method: ${m.name}: ${m.formula}`,
    ...(m.source ? [`  source of the method: ${m.source}`] : []),
    ...(params ? [`  parameters: ${params}`] : []),
  ];
}

function sourceLines(sources: readonly SourceRef[]): string[] {
  return [
    'data:',
    ...sources.map(
      (s) =>
        `  ${s.indicator}: ${s.source ?? s.file} (vintage ${s.vintage ?? 'not stated'}${s.licence ? `; ${s.licence}` : ''})`,
    ),
  ];
}

/** CAGR from the baseline to the latest value (null when undefined, e.g. a baseline of 0). */
function cagrOf(a: { year: number; value: number }, b: { year: number; value: number }): number | null {
  if (!(a.value > 0) || !(b.value >= 0) || b.year <= a.year) return null;
  return round(cagr(a.value, b.value, b.year - a.year));
}

const COVERAGE_NOTE =
  "coverage: countries = members with data / members; population_share = share of the group's weight (population) living in them; filled = values gap-filled. Withheld when population_share < the minimum (default 0.5).";

export function register(program: Command, ctx: CliContext): void {
  program
    .command('aggregate')
    .description('group aggregates (ratio of sums, weighted mean, mean, median) with coverage')
    .option('--indicator <codes>', 'indicator code(s), comma-separated (numerator for ratio)', parseList)
    .option(
      '--groups <codes>',
      'groups, comma-separated (e.g. ldc,developed,developing, WB_L, M49_002)',
      parseList,
    )
    .option('--year <years>', 'data year(s): 2019, 2015,2019 or 2010-2019', parseYears)
    .addOption(new Option('--method <method>', 'aggregation method').choices([...AGGREGATE_METHODS]))
    .option('--weight <code>', 'weight indicator (wmean; the coverage weight otherwise); default WPP.POP')
    .option('--denominator <code>', 'denominator indicator (ratio; default WPP.POP)')
    .option('--scale <n>', 'multiplier for ratio (100 = per 100 people)', parseNumber)
    .option(
      '--fill <years>',
      'gap-fill missing values from up to N years away (flagged, counted)',
      parseNonNegInt,
    )
    .addOption(
      new Option('--fill-method <m>', 'gap-filling method')
        .choices(['nearest', 'linear', 'linear-then-nearest'])
        .default('linear-then-nearest'),
    )
    .option(
      '--min-coverage <share>',
      'withhold below this share of the group population (default 0.5)',
      parseShare,
    )
    .option('--between <a,b>', 'also the gap between two of the groups (difference, ratio)', parseList)
    .option(
      '--countries',
      'list the member countries instead: their values, which entered, which were gap-filled',
    )
    .addOption(
      new Option('--preset <name>', 'a named request reproducing a figure a resolution cites').choices(
        Object.keys(AGGREGATE_PRESETS),
      ),
    )
    .action(
      async (
        o: {
          indicator?: string[];
          groups?: string[];
          year?: number[];
          method?: AggregateMethod;
          weight?: string;
          denominator?: string;
          scale?: number;
          fill?: number;
          fillMethod: 'nearest' | 'linear' | 'linear-then-nearest';
          minCoverage?: number;
          preset?: string;
          between?: string[];
          countries?: boolean;
        },
        cmd: Command,
      ) => {
        if (o.between && o.between.length !== 2)
          throw invalid('--between takes exactly two groups, e.g. DEVELOPED,LDC', { field: 'between' });
        const preset = o.preset ? AGGREGATE_PRESETS[o.preset] : undefined;
        const base: Partial<AggregateRequest> = preset ? { ...preset.request } : {};
        const req: AggregateRequest = {
          ...base,
          indicator: o.indicator ?? base.indicator ?? [],
          groups: o.groups ?? base.groups ?? [],
          year: o.year ?? base.year ?? [],
        };
        if (!o.indicator && !preset)
          throw invalid('give --indicator CODE (or --preset)', { field: 'indicator' });
        if (!o.groups && !preset) throw invalid('give --groups CODES (or --preset)', { field: 'groups' });
        if (!o.year && !preset) throw invalid('give --year YEAR (or --preset)', { field: 'year' });
        if (o.method) req.method = o.method;
        if (o.weight) req.weight = o.weight;
        if (o.denominator) req.denominator = o.denominator;
        if (o.scale !== undefined) req.scale = o.scale;
        if (o.fill !== undefined) req.fill = { window: o.fill, method: o.fillMethod };
        if (o.minCoverage !== undefined) req.minCoverage = o.minCoverage;
        const store = await ctx.store(cmd);
        await refuseCountMean(store, req);
        if (o.countries) {
          const m = await aggregateMembers(store, req);
          const ratio = m.method === 'ratio';
          emit(
            m.members.map((r) => ({
              indicator: r.indicator,
              group: r.group,
              year: r.year,
              geo: r.geo,
              ...(ratio ? { numerator: r.numerator, denominator: r.denominator } : { value: r.value }),
              coverage_weight: r.coverageWeight,
              used: r.used,
              filled: r.filled,
              source_years: r.sourceYears,
            })),
            globals(cmd),
            {
              meta: { method: m.method, fill: m.fill, sources: m.sources },
              footer: [
                '',
                `used: the member's data entered the ${m.method} aggregate; filled: gap-filled from source_years${m.fill ? ` (window ${m.fill.window}, ${m.fill.method})` : ' (no gap-filling asked for)'}`,
                ...sourceLines(m.sources),
              ].join('\n'),
            },
          );
          return;
        }
        const rep = await aggregate(store, req);
        const published = (g: string): Published | undefined =>
          preset && rep.results.length && o.year === undefined ? preset.published[g] : undefined;
        const rows = rep.results.map((r) => ({
          indicator: r.indicator,
          group: r.group,
          name: r.groupName,
          year: r.year,
          status: r.result.status,
          value: r.result.status === 'ok' ? round(r.result.value.value) : null,
          ...(preset ? { published: published(r.group)?.value ?? null } : {}),
          method: rep.method,
          denominator: rep.denominator,
          weight: rep.weight,
          scale: rep.method === 'ratio' ? rep.scale : null,
          coverage_weight: rep.coverageWeight,
          fill_window: rep.fill?.window ?? 0,
          fill_method: rep.fill?.method ?? null,
          min_coverage: r.result.method.params?.minWeightShare ?? null,
          ...coverageCols(r.result.coverage),
          reason: r.result.status === 'withheld' ? r.result.reason : null,
        }));
        const between = o.between ? gapBetweenGroups(rep, o.between[0]!, o.between[1]!) : null;
        const betweenLines = (between ?? []).map((b) => {
          const [ga, gb] = b.gap.groups;
          if (b.gap.status === 'withheld')
            return `gap ${ga} vs ${gb}, ${b.indicator} ${b.year}: withheld (${b.gap.reason})`;
          const v = b.gap.value;
          return `gap ${ga} vs ${gb}, ${b.indicator} ${b.year}: difference ${round(v.difference)}, ratio ${round(v.ratio)}, relative ${round(v.relative)}`;
        });
        const first = rep.results[0]?.result.method;
        const footer = [
          '',
          ...betweenLines,
          ...(first ? methodLines(first) : []),
          COVERAGE_NOTE,
          ...sourceLines(rep.sources),
          ...(rep.skipped.length
            ? [`skipped (no members): ${rep.skipped.map((s) => `${s.group} ${s.year}`).join(', ')}`]
            : []),
          ...(preset
            ? [
                `published: ${[...new Set(Object.values(preset.published).map((p) => p.citation))].join('; ')}`,
                `note: ${preset.note}`,
              ]
            : []),
        ].join('\n');
        emit(rows, globals(cmd), {
          columns: columnsFor(
            cmd,
            [
              'indicator',
              'group',
              'year',
              'status',
              'value',
              ...(preset ? ['published'] : []),
              'countries',
              'members',
              'population_share',
              'filled',
              'reason',
            ],
            [
              'indicator',
              'group',
              'year',
              'status',
              'value',
              ...(preset ? ['published'] : []),
              'method',
              'denominator',
              'weight',
              'scale',
              'coverage_weight',
              'fill_window',
              'fill_method',
              'min_coverage',
              ...COVERAGE_COLUMNS,
              'reason',
            ],
          ),
          meta: {
            method: first ?? null,
            denominator: rep.denominator,
            weight: rep.weight,
            coverageWeight: rep.coverageWeight,
            scale: rep.scale,
            fill: rep.fill,
            sources: rep.sources,
            skipped: rep.skipped,
            ...(between ? { between } : {}),
            ...(preset
              ? {
                  preset: {
                    id: preset.id,
                    title: preset.title,
                    published: preset.published,
                    note: preset.note,
                  },
                }
              : {}),
            coverage: rep.results.map((r) => ({
              group: r.group,
              year: r.year,
              indicator: r.indicator,
              ...r.result.coverage,
            })),
          },
          footer,
        });
      },
    );

  program
    .command('gap')
    .description('gender (--by sex) or urban/rural (--by area) gap and parity score for countries or groups')
    .option('--indicator <code>', 'indicator with sex (F/M) or area (U/R) breakdowns, e.g. IT.NET.USER.ZS')
    .addOption(new Option('--by <dim>', 'breakdown').choices(['sex', 'area']).default('sex'))
    .option('--geo <codes>', 'countries (ISO3) or groups (WORLD, LDC…), comma-separated', parseList)
    .option('--year <year>', 'data year', parseYear)
    .option('--fill <years>', 'gap-fill both rates from the same year up to N years away', parseNonNegInt)
    .option(
      '--min-coverage <share>',
      'withhold below this share of the group population (default 0.5)',
      parseShare,
    )
    .addOption(
      new Option('--preset <name>', 'a named request (figures a resolution cites)').choices(
        Object.keys(GAP_PRESETS),
      ),
    )
    .action(
      async (
        o: {
          indicator?: string;
          by: 'sex' | 'area';
          geo?: string[];
          year?: number;
          fill?: number;
          minCoverage?: number;
          preset?: string;
        },
        cmd: Command,
      ) => {
        const preset = o.preset ? GAP_PRESETS[o.preset] : undefined;
        const indicator = o.indicator ?? preset?.indicator;
        const geos = o.geo ?? preset?.groups;
        const year = o.year ?? preset?.year;
        const by = preset && !o.indicator ? preset.by : o.by;
        if (!indicator) throw invalid('give --indicator CODE (or --preset)', { field: 'indicator' });
        if (!geos?.length) throw invalid('give --geo ISO3|GROUP (or --preset)', { field: 'geo' });
        if (year === undefined) throw invalid('give --year YEAR (or --preset)', { field: 'year' });
        const store = await ctx.store(cmd);
        const reps: GapReport[] = [];
        for (const g of geos) {
          reps.push(
            await gap(store, {
              indicator,
              by,
              geo: g,
              year,
              ...(o.fill !== undefined ? { fill: o.fill } : {}),
              ...(o.minCoverage !== undefined ? { minCoverage: o.minCoverage } : {}),
            }),
          );
        }
        const [la, lb] = by === 'sex' ? ['male', 'female'] : ['urban', 'rural'];
        const rows = reps.map((r) => {
          const v = r.result.status === 'ok' ? r.result.value : null;
          const a = v ? ('male' in v ? v.male : v.urban) : null;
          const b = v ? ('male' in v ? v.female : v.rural) : null;
          return {
            geo: r.unit.code,
            kind: r.unit.kind,
            year: r.year,
            status: r.result.status,
            [la]: round(a),
            [lb]: round(b),
            gap: round(v?.gap),
            parity: round(v?.parity),
            parity_status: v?.parityStatus ?? null,
            ...(preset && o.year === undefined
              ? { published_gap: preset.published[r.unit.code]?.value ?? null }
              : {}),
            method: r.result.method.name,
            rates: r.result.method.params?.rates ?? null,
            weights: r.result.method.params?.populations ?? null,
            coverage_weight: r.result.method.params?.coverageWeight ?? null,
            fill_window: o.fill ?? 0,
            min_coverage: r.result.method.params?.minWeightShare ?? null,
            ...coverageCols(r.result.coverage),
            reason: r.result.status === 'withheld' ? r.result.reason : null,
          };
        });
        const first = reps[0]!;
        const sources = [
          ...new Map(reps.flatMap((r) => r.sources).map((s) => [`${s.indicator}/${s.dataset}`, s])).values(),
        ];
        const footer = [
          '',
          ...methodLines(first.result.method),
          'parity band 0.98–1.02 (ITU); gap > 0: the first rate is higher',
          COVERAGE_NOTE,
          ...sourceLines(sources),
          ...(preset ? [`published: ${preset.published.WORLD?.citation ?? ''}`, `note: ${preset.note}`] : []),
        ].join('\n');
        const gapColumns = [
          'geo',
          'year',
          'status',
          la,
          lb,
          'gap',
          'parity',
          'parity_status',
          ...(preset && o.year === undefined ? ['published_gap'] : []),
        ];
        emit(rows, globals(cmd), {
          columns: columnsFor(
            cmd,
            [...gapColumns, 'countries', 'members', 'population_share', 'filled', 'reason'],
            [
              ...gapColumns,
              'method',
              'rates',
              'weights',
              'coverage_weight',
              'fill_window',
              'min_coverage',
              ...COVERAGE_COLUMNS,
              'reason',
            ],
          ),
          meta: {
            method: first.result.method,
            sources,
            coverage: reps.map((r) => ({
              geo: r.unit.code,
              ...r.result.coverage,
              countriesWithData: r.countries,
            })),
            ...(preset ? { preset } : {}),
          },
          footer,
        });
      },
    );

  program
    .command('affordability')
    .description('share of countries and people below the 2% affordability target, and medians, per group')
    .option('--basket <code>', 'price basket as % of monthly GNI p.c.', 'i271mb_2GB_GNI')
    .option('--year <year>', 'data year', parseYear)
    .option('--groups <codes>', 'groups (default World Bank income groups)', parseList)
    .option('--threshold <percent>', 'target threshold in % (default 2, strictly below)', parseNumber)
    .option(
      '--min-coverage <share>',
      'withhold below this share of the group population (default 0.5)',
      parseShare,
    )
    .action(
      async (
        o: { basket: string; year?: number; groups?: string[]; threshold?: number; minCoverage?: number },
        cmd: Command,
      ) => {
        if (o.year === undefined) throw invalid('give --year YEAR', { field: 'year' });
        const store = await ctx.store(cmd);
        const rep = await affordability(store, {
          basket: o.basket,
          year: o.year,
          ...(o.groups ? { groups: o.groups } : {}),
          ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
          ...(o.minCoverage !== undefined ? { minCoverage: o.minCoverage } : {}),
        });
        const rows = rep.results.map((r) => {
          const v = r.result.status === 'ok' ? r.result.value : null;
          return {
            group: r.group,
            year: r.year,
            status: r.result.status,
            median: round(v?.median),
            meeting: v?.countriesMeeting ?? null,
            share_of_countries: round(v?.shareOfCountries),
            share_of_people: round(v?.shareOfPeople),
            method: r.result.method.name,
            basket: rep.basket,
            threshold: r.result.method.params?.threshold ?? null,
            min_coverage: r.result.method.params?.minWeightShare ?? null,
            ...coverageCols(r.result.coverage),
            reason: r.result.status === 'withheld' ? r.result.reason : null,
          };
        });
        const first = rep.results[0]!.result.method;
        const affColumns = [
          'group',
          'year',
          'status',
          'median',
          'meeting',
          'share_of_countries',
          'share_of_people',
        ];
        emit(rows, globals(cmd), {
          columns: columnsFor(
            cmd,
            [...affColumns, ...COVERAGE_COLUMNS, 'reason'],
            [...affColumns, 'method', 'basket', 'threshold', 'min_coverage', ...COVERAGE_COLUMNS, 'reason'],
          ),
          meta: { basket: rep.basket, method: first, sources: rep.sources },
          footer: ['', ...methodLines(first), COVERAGE_NOTE, ...sourceLines(rep.sources)].join('\n'),
        });
      },
    );

  program
    .command('inequality')
    .description(
      'between-country inequality: population-weighted Gini, Theil T (decomposed --by a grouping), CV, quintile ratio',
    )
    .option('--indicator <code>', 'indicator')
    .option('--year <year>', 'data year', parseYear)
    .option('--by <grouping>', 'income | development | region | comma-separated group codes')
    .option('--group <code>', 'universe of countries (default WORLD)')
    .option('--weight <code>', 'weight (default WPP.POP)')
    .option('--from <year>', 'also sigma and beta convergence from this year to --year', parseYear)
    .action(
      async (
        o: { indicator?: string; year?: number; by?: string; group?: string; weight?: string; from?: number },
        cmd: Command,
      ) => {
        if (!o.indicator) throw invalid('give --indicator CODE', { field: 'indicator' });
        if (o.year === undefined) throw invalid('give --year YEAR', { field: 'year' });
        const store = await ctx.store(cmd);
        const rep = await inequality(store, {
          indicator: o.indicator,
          year: o.year,
          ...(o.by ? { by: o.by } : {}),
          ...(o.group ? { group: o.group } : {}),
          ...(o.weight ? { weight: o.weight } : {}),
        });
        const v = rep.value;
        const c = rep.coverage;
        const weight = String(rep.method.params?.weight ?? '');
        // Every row names its statistic (method), the weight it used (null: unweighted) and the
        // coverage of the universe by the countries it used.
        const cov = (k: Coverage) => ({
          universe: rep.universe,
          countries: k.withData,
          members: k.members,
          country_share: round(k.countShare),
          population_share: round(k.weightShare),
        });
        type Row = {
          measure: string;
          group: string | null;
          value: number | null;
          method: string;
          weight: string | null;
          by: string | null;
        } & ReturnType<typeof cov>;
        const rows: Row[] = [];
        const add = (
          measure: string,
          method: string,
          value: number | null,
          opts: { group?: string; weighted?: boolean; by?: boolean; coverage?: Coverage } = {},
        ) =>
          rows.push({
            measure,
            group: opts.group ?? null,
            value,
            method,
            weight: opts.weighted === false ? null : weight,
            by: opts.by ? (v.decomposition?.grouping ?? null) : null,
            ...cov(opts.coverage ?? (opts.by && v.decomposition ? v.decomposition.coverage : c)),
          });
        add('mean (weighted)', 'weighted-mean', round(v.mean));
        add('gini', 'gini', round(v.gini));
        add('theil_t', 'theil-t', round(v.theil));
        add('cv (weighted)', 'cv', round(v.cv));
        add('cv (unweighted)', 'cv-unweighted', round(v.cvUnweighted), { weighted: false });
        add('top/bottom quintile ratio', 'quintile-ratio', round(v.quintileRatio));
        if (v.decomposition) {
          const d = v.decomposition;
          add('theil within', 'theil-within', round(d.within), { by: true });
          add('theil between', 'theil-between', round(d.between), { by: true });
          for (const g of d.groups) {
            add('group mean', 'weighted-mean', round(g.mean), { group: g.group, by: true });
            add('group theil', 'theil-t', round(g.theil), { group: g.group, by: true });
            add('population share', 'population-share', round(g.populationShare), {
              group: g.group,
              by: true,
            });
          }
        }
        const conv =
          o.from !== undefined
            ? await convergence(store, {
                indicator: o.indicator,
                from: o.from,
                to: o.year,
                ...(o.group ? { group: o.group } : {}),
              })
            : null;
        if (conv) {
          const span = `${conv.from}-${conv.to}`;
          const sigma = { weighted: conv.sigma.weighted, coverage: conv.coverage.sigma };
          const beta = { weighted: false, coverage: conv.coverage.beta };
          add(
            `sigma: cv trend per year ${span}`,
            'sigma-convergence',
            round(conv.sigma.trend?.slope, 6),
            sigma,
          );
          add(`sigma: cv ${conv.from}`, 'sigma-convergence', round(conv.sigma.cv[0]), sigma);
          add(
            `sigma: cv ${conv.to}`,
            'sigma-convergence',
            round(conv.sigma.cv[conv.sigma.cv.length - 1]),
            sigma,
          );
          add(`beta: slope ${span}`, 'beta-convergence', round(conv.beta.slope, 6), beta);
          add('beta: p-value', 'beta-convergence', round(conv.beta.p, 6), beta);
          add('beta: countries', 'beta-convergence', conv.beta.n, beta);
        }
        emit(rows, globals(cmd), {
          meta: {
            convergence: conv,
            indicator: rep.indicator,
            year: rep.year,
            universe: rep.universe,
            value: v,
            method: rep.method,
            coverage: c,
            sources: rep.sources,
          },
          footer: [
            '',
            ...methodLines(rep.method),
            `coverage: ${c.withData} of ${c.members} countries of ${rep.universe}, ${pct(c.weightShare)} of its population${v.decomposition?.unclassified.length ? `; not in the grouping: ${v.decomposition.unclassified.join(', ')}` : ''}`,
            ...(conv
              ? [
                  `convergence: sigma over a balanced panel of ${conv.sigma.countries.length} countries (${conv.sigma.weighted ? 'population-weighted' : 'unweighted'} CV; slope < 0 = converging); beta over ${conv.beta.n} countries (Barro and Sala-i-Martin 1992; slope < 0 = converging)`,
                ]
              : []),
            ...sourceLines(rep.sources),
          ].join('\n'),
        });
      },
    );

  program
    .command('progress')
    .description('progress towards 2030 targets (ESCAP Current Status and Anticipated Progress Indices)')
    .option('--indicator <code>', 'indicator (or give --target)')
    .option('--geo <code>', 'country (ISO3) or group (WORLD, LDC…)')
    .option(
      '--target <id>',
      'target id from data/targets.csv (default: every target for the indicator and geo)',
    )
    .addOption(
      new Option('--method <method>', 'group series: aggregation per year').choices([...AGGREGATE_METHODS]),
    )
    .action(
      async (
        o: { indicator?: string; geo?: string; target?: string; method?: AggregateMethod },
        cmd: Command,
      ) => {
        if (!o.geo) throw invalid('give --geo ISO3|GROUP', { field: 'geo' });
        const store = await ctx.store(cmd);
        const rep = await progress(store, {
          ...(o.indicator ? { indicator: o.indicator } : {}),
          geo: o.geo,
          ...(o.target ? { target: o.target } : {}),
          ...(o.method ? { method: o.method } : {}),
        });
        const group = rep.unit.kind === 'group';
        const rows = rep.progress.map((p) => {
          const latest = rep.series.find((x) => x.year === p.anticipated.latest.year);
          return {
            target: p.target.id,
            target_value: p.target.target,
            target_year: p.target.year,
            direction: p.target.direction,
            baseline_year: p.current.baseline.year,
            baseline: round(p.current.baseline.value),
            latest_year: p.anticipated.latest.year,
            latest: round(p.anticipated.latest.value),
            csi: round(p.current.csi),
            expected: round(p.current.expectedToDate),
            cagr: cagrOf(p.current.baseline, p.anticipated.latest),
            growth: round(p.anticipated.rate),
            projected: round(p.anticipated.projected),
            api: round(p.anticipated.api),
            classification: p.anticipated.classification,
            method: 'escap-csi-api',
            series_method: rep.seriesMethod,
            trend_weighting: p.anticipated.weighting,
            fit_from: p.anticipated.fitYears[0] ?? null,
            fit_to: p.anticipated.fitYears[p.anticipated.fitYears.length - 1] ?? null,
            // Coverage of the latest value: a group's aggregate for that year; a country is all of itself.
            latest_countries: group ? (latest?.countries ?? null) : 1,
            latest_members: group ? (latest?.members ?? null) : 1,
            latest_population_share: group ? round(latest?.weightShare) : 1,
          };
        });
        const years = rep.series.map((s) => s.year);
        const progressColumns = [
          'target',
          'target_value',
          'target_year',
          'direction',
          'baseline_year',
          'baseline',
          'latest_year',
          'latest',
          'csi',
          'expected',
          'cagr',
          'growth',
          'projected',
          'api',
          'classification',
        ];
        emit(rows, globals(cmd), {
          columns: columnsFor(
            cmd,
            [...progressColumns, 'latest_countries', 'latest_population_share'],
            [
              ...progressColumns,
              'method',
              'series_method',
              'trend_weighting',
              'fit_from',
              'fit_to',
              'latest_countries',
              'latest_members',
              'latest_population_share',
            ],
          ),
          meta: {
            indicator: rep.indicator,
            unit: rep.unit,
            seriesMethod: rep.seriesMethod,
            series: rep.series,
            withheldYears: rep.withheldYears,
            source: rep.source,
            sources: rep.sources,
          },
          footer: [
            '',
            `series: ${rep.indicator} for ${rep.unit.code}, ${rep.seriesMethod}; ${years.length} years (${years[0] ?? ''}–${years[years.length - 1] ?? ''})${rep.withheldYears.length ? `; withheld years left out: ${rep.withheldYears.map((w) => w.year).join(', ')}` : ''}`,
            `method: ${rep.source}`,
            ...sourceLines(rep.sources),
          ].join('\n'),
        });
      },
    );
}
