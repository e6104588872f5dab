/**
 * The `pontis` command line. Each command lives in src/cli/commands/<name>.ts and exports
 * `register(program, ctx)`; commands are thin shells over the library (src/index.ts).
 *
 * Conventions every command follows:
 * - global options --store PATH (or PONTIS_STORE), --json, --csv (read with `cmd.optsWithGlobals()`);
 * - listings go through `emit` (src/cli/output.ts), so --json and --csv work everywhere;
 * - problems are thrown as PontisError; `main` maps them to exit codes:
 *   0 success, 1 invalid input (bad file, unknown code, failed validation), 2 usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import { PontisError } from '../core/errors.ts';
import { registerAll } from './commands/all.ts';
import { type CliContext, createContext } from './context.ts';

export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 70, interrupted: 130 } as const;

export const HELP_FOOTER = `
Exit codes:
  0  success
  1  invalid input (malformed file, rejected rows, unknown indicator/country/group)
  2  usage error (unknown command or option, missing argument)
  130 interrupted (Ctrl-C); an interrupted load writes nothing

Store: --store PATH, else $PONTIS_STORE, else ./.pontis/pontis.duckdb. A new store is created
and loaded with the bundled data (data/) on first use.

Registry: --registry DIR|URL, else $PONTIS_REGISTRY, else ./.pontis/registry (embedded PGlite);
a postgres:// URL uses a PostgreSQL server. A new registry is migrated and seeded with
data/registry/seed.json.`;

export function buildProgram(ctx: CliContext = createContext()): Command {
  const program = new Command('pontis')
    .description('Pontis: evidence on digital and innovation divides, from official data.')
    .version('0.1.0')
    .addOption(new Option('--store <path>', 'DuckDB store file').env('PONTIS_STORE'))
    .addOption(
      new Option('--registry <location>', 'registry database: a PGlite directory or a postgres:// URL').env(
        'PONTIS_REGISTRY',
      ),
    )
    .option('--json', 'print listings as JSON')
    .option('--csv', 'print listings as CSV')
    .addHelpText('after', HELP_FOOTER)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  registerAll(program, ctx);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit, so tests can call it). */
export async function run(argv: string[], ctx: CliContext = createContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof PontisError) {
      process.stderr.write(`pontis: ${e.toString()}\n`);
      if (e.code === 'interrupted') return EXIT.interrupted;
      return e.code === 'usage' ? EXIT.usage : e.code === 'internal' ? EXIT.internal : EXIT.invalid;
    }
    process.stderr.write(
      `pontis: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.internal;
  } finally {
    await ctx.close();
  }
}
