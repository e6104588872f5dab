/**
 * The prebuilt CLI (scripts/build-cli.mjs → dist/cli/, run by bin/pontis.js when fresh) must behave
 * as the TypeScript sources do: the same output for the same commands, with the run-time files
 * (data/, the registry's migrations and seed) found from the bundle's location; and a change to any
 * source file must send bin/pontis.js back to the sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript module without type declarations
import { freshBuild } from '../../bin/prebuilt.js';
import { ROOT, runCli, tmpDir } from '../helpers.ts';

// Two levels below the root, as dist/cli is (the bundle finds the root from there).
const out = join(ROOT, '.tmp', `cli-${process.pid}`);
const runner = join(out, 'run.mjs');
const tmp = tmpDir('pontis-prebuilt-');
const FIXTURE = join(ROOT, 'test/fixtures/formats/API_IT.NET.USER.ZS_DS2_en_csv_v2.csv');

beforeAll(() => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--force', '--outdir', out], {
    stdio: 'pipe',
  });
  writeFileSync(
    runner,
    "const { main } = await import('./main.js');\nprocess.exitCode = await main(process.argv);\n",
  );
}, 60_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  tmp.cleanup();
});

describe('prebuilt CLI', () => {
  it('records every source file it was built from, and goes stale when one changes', () => {
    const stampPath = join(out, 'stamp.json');
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { inputs: [string, number, number][] };
    const files = stamp.inputs.map(([f]) => f);
    expect(files).toContain('src/cli/main.ts');
    expect(files).toContain('src/core/paths.ts');
    expect(files.some((f) => f.startsWith('node_modules'))).toBe(false);
    const dir = pathToFileURL(`${out}/`);
    expect(freshBuild(dir)).toBe(new URL('main.js', dir).href);
    // One input recorded with another size (as after an edit): not fresh.
    const edited = structuredClone(stamp);
    edited.inputs[0]![1] += 1;
    writeFileSync(stampPath, JSON.stringify(edited));
    expect(freshBuild(dir)).toBeUndefined();
    // A source file that no longer exists: not fresh.
    const gone = structuredClone(stamp);
    gone.inputs.push(['src/no-such-file.ts', 1, 1]);
    writeFileSync(stampPath, JSON.stringify(gone));
    expect(freshBuild(dir)).toBeUndefined();
    writeFileSync(stampPath, JSON.stringify(stamp));
    expect(freshBuild(dir)).toBe(new URL('main.js', dir).href);
    // The entry module gone (a build deleted in part): not fresh.
    const main = join(out, 'main.js');
    const kept = readFileSync(main);
    rmSync(main);
    expect(freshBuild(dir)).toBeUndefined();
    writeFileSync(main, kept);
    expect(freshBuild(dir)).toBe(new URL('main.js', dir).href);
  });

  it('refuses an unknown option or an output directory the bundle could not find the root from', () => {
    for (const [args, why] of [
      [['--forse'], 'unknown option --forse'],
      [['--outdir'], '--outdir needs a directory'],
      [['--outdir', tmp.dir], 'is not two levels below the repository root'],
    ] as const) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), ...args], {
        encoding: 'utf8',
      });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(why);
    }
  });

  it('gives the same results as the sources, store and registry commands alike', async () => {
    const run = async (which: 'built' | 'sources', args: string[]) => {
      const r =
        which === 'built' ? await runCli(args, {}, runner) : await runCli(args, { PONTIS_SOURCES: '1' });
      // Registry ids are random UUIDs, different in each registry.
      return {
        code: r.code,
        stdout: r.stdout.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID'),
      };
    };
    for (const which of ['built', 'sources'] as const) {
      const store = join(tmp.dir, `${which}.duckdb`);
      expect((await run(which, ['--store', store, 'ingest', FIXTURE, '--skip-invalid'])).code).toBe(0);
    }
    const commands = (w: string) => [
      [
        '--store',
        join(tmp.dir, `${w}.duckdb`),
        '--json',
        'series',
        '--indicator',
        'IT.NET.USER.ZS',
        '--geo',
        'KEN,IND',
        '--from',
        '2015',
      ],
      ['--store', join(tmp.dir, `${w}.duckdb`), '--json', 'groups', 'LDC', '--year', '2020'],
      ['--store', join(tmp.dir, `${w}.duckdb`), 'series', '--indicator', 'NO.SUCH.CODE'],
      ['--registry', join(tmp.dir, `${w}-registry`), '--json', 'registry', 'search', 'connectivity'],
    ];
    const built = commands('built');
    const sources = commands('sources');
    for (let i = 0; i < built.length; i++) {
      const a = await run('built', built[i]!);
      const b = await run('sources', sources[i]!);
      expect(a).toEqual(b);
    }
    // The results are real ones, not two identical failures.
    // India 2015 in the fixture (WDI, column "2015"): the built CLI reads the value the file has.
    const header = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('"Country Name"'))!;
    const india = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('"India"'))!;
    const cells = (l: string) => l.split('","').map((c) => c.replace(/^"|",?$/g, ''));
    const expected = Number(cells(india)[cells(header).indexOf('2015')]);
    const series = JSON.parse((await run('built', built[0]!)).stdout) as {
      geo: string;
      year: number;
      value: number;
    }[];
    expect(series.find((o) => o.geo === 'IND' && o.year === 2015)?.value).toBe(expected);
    const found = JSON.parse((await run('built', built[3]!)).stdout) as { total?: number };
    expect(found.total).toBeGreaterThan(0);
  }, 120_000);
});
