/**
 * Ingest benchmark (issue: "10 million observations with `pontis ingest` vs DuckDB's own read_csv").
 *   npx tsx bench/ingest/run.ts [ROWS=10000000] [REPEATS=5]
 * Generates a WDI-shaped tidy CSV (bench/out/), then, alternating, REPEATS times:
 *   a) `pontis ingest FILE` into a fresh store (reference data loaded beforehand, not timed);
 *   b) DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` into a fresh file.
 * Both run as separate processes under /usr/bin/time (wall time, peak RSS). Prints medians.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const rows = Number(process.argv[2] ?? 10_000_000);
const repeats = Number(process.argv[3] ?? 5);
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const csv = join(out, `wdi-long-${rows}.csv`);
// `pontis` as installed: the prebuilt CLI, rebuilt here if a source changed (bin/pontis.js would
// otherwise run the sources through tsx, 0.4 s slower to start).
execFileSync('node', [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
if (!existsSync(csv))
  execFileSync('npx', ['tsx', join(root, 'bench/ingest/gen-wdi-long.ts'), csv, String(rows)], {
    stdio: 'inherit',
  });

function timed(args: string[]): { wall: number; cpu: number; rssMiB: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing in ${r.stderr}`);
  return {
    wall: Number(m[1]),
    cpu: Number(m[3]) + Number(m[4]),
    rssMiB: Number(m[2]) / 1024,
    stdout: r.stdout,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
type Run = { wall: number; cpu: number; rssMiB: number; inner: number };
const pontis: Run[] = [];
const duck: Run[] = [];
for (let i = 0; i < repeats; i++) {
  const store = join(out, 'bench-store.duckdb');
  rmSync(store, { force: true });
  rmSync(`${store}.wal`, { force: true });
  execFileSync('node', [join(root, 'bin/pontis.js'), '--store', store, 'init', '--no-data'], {
    cwd: root,
    stdio: 'ignore',
  });
  const p = timed(['node', join(root, 'bin/pontis.js'), '--store', store, 'ingest', csv, '--json']);
  const report = JSON.parse(p.stdout)[0];
  if (report.loaded !== rows) throw new Error(`pontis loaded ${report.loaded} of ${rows}`);
  pontis.push({ wall: p.wall, cpu: p.cpu, rssMiB: p.rssMiB, inner: report.seconds });
  const db = join(out, 'bench-baseline.duckdb');
  rmSync(db, { force: true });
  const d = timed(['node', join(root, 'bench/ingest/duckdb-baseline.mjs'), db, csv]);
  duck.push({ wall: d.wall, cpu: d.cpu, rssMiB: d.rssMiB, inner: JSON.parse(d.stdout).seconds });
  process.stderr.write(
    `run ${i + 1}: pontis ${p.wall}s wall ${p.cpu.toFixed(2)}s cpu (${report.path}), duckdb ${d.wall}s wall ${d.cpu.toFixed(2)}s cpu\n`,
  );
}
const pw = median(pontis.map((x) => x.wall));
const dw = median(duck.map((x) => x.wall));
const pi = median(pontis.map((x) => x.inner));
const di = median(duck.map((x) => x.inner));
const pc = median(pontis.map((x) => x.cpu));
const dc = median(duck.map((x) => x.cpu));
// The ratio of each back-to-back pair, whose two runs saw about the same load.
const pairs = median(pontis.map((x, i) => x.wall / duck[i]!.wall));
const lines = [
  `| ${rows.toLocaleString('en')} rows | wall (process) | load only (in process) | CPU (user + sys) | peak RSS |`,
  '|---|---|---|---|---|',
  `| pontis ingest | ${pw.toFixed(2)} s | ${pi.toFixed(2)} s | ${pc.toFixed(2)} s | ${Math.max(...pontis.map((x) => x.rssMiB)).toFixed(0)} MiB |`,
  `| DuckDB read_csv → table | ${dw.toFixed(2)} s | ${di.toFixed(2)} s | ${dc.toFixed(2)} s | ${Math.max(...duck.map((x) => x.rssMiB)).toFixed(0)} MiB |`,
  `| ratio | ${(pw / dw).toFixed(2)}x (pairs: ${pairs.toFixed(2)}x) | ${(pi / di).toFixed(2)}x | ${(pc / dc).toFixed(2)}x | |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
