/**
 * Start-up benchmark: how long a `pontis` command and a library import take before any work.
 *   npx tsx bench/startup/run.ts [REPEATS=7]
 * Alternating, REPEATS times each, as separate processes (medians of wall time):
 *   - `node -e 0` and DuckDB opened and closed from plain JavaScript (the floor any Node CLI on
 *     DuckDB pays);
 *   - `pontis --help` and `pontis --store S datasets` on the prebuilt CLI (dist/cli, rebuilt first if
 *     stale) and on the sources through tsx (PONTIS_SOURCES=1);
 *   - importing the package root and the registry namespace through tsx.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const repeats = Number(process.argv[2] ?? 7);
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const store = join(out, 'startup.duckdb');
rmSync(store, { force: true });
execFileSync('node', [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
execFileSync('node', [join(root, 'bin/pontis.js'), '--store', store, 'init', '--no-data'], {
  stdio: 'ignore',
});

const pontis = join(root, 'bin/pontis.js');
const duckOpen = `import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(${JSON.stringify(store)}); const c = await i.connect();
await c.run('SELECT 1'); c.closeSync(); i.closeSync();`;
const imp = (m: string) => `await import(${JSON.stringify(join(root, m))})`;
const cases: [string, string[], Record<string, string>][] = [
  ['node -e 0', ['-e', '0'], {}],
  ['DuckDB open + close (plain JS)', ['--input-type=module', '-e', duckOpen], {}],
  ['pontis --help (prebuilt)', [pontis, '--help'], {}],
  ['pontis --help (sources, tsx)', [pontis, '--help'], { PONTIS_SOURCES: '1' }],
  ['pontis datasets (prebuilt)', [pontis, '--store', store, 'datasets'], {}],
  ['pontis datasets (sources, tsx)', [pontis, '--store', store, 'datasets'], { PONTIS_SOURCES: '1' }],
  ["import 'pontis' (tsx)", ['--import', 'tsx', '--input-type=module', '-e', imp('src/index.ts')], {}],
  [
    'import registry namespace (tsx)',
    ['--import', 'tsx', '--input-type=module', '-e', imp('src/registry/index.ts')],
    {},
  ],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < repeats; i++)
  for (const [name, args, env] of cases) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    if (r.status !== 0) throw new Error(`${name} failed (${r.status})`);
    times.get(name)!.push((performance.now() - t) / 1000);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = ['| process | median wall | min – max |', '|---|---|---|'];
for (const [name, xs] of times)
  lines.push(
    `| ${name} | ${median(xs).toFixed(2)} s | ${Math.min(...xs).toFixed(2)} – ${Math.max(...xs).toFixed(2)} s |`,
  );
process.stdout.write(`${lines.join('\n')}\n`);
