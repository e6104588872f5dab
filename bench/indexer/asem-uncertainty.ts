/**
 * Benchmark: uncertainty plus sensitivity analysis of the ASEM index.
 *   npx tsx bench/indexer/asem-uncertainty.ts [--runs 10000] [--reps 3]
 * Uncertainty: `runs` Monte Carlo runs; sensitivity: a Saltelli design with N = ⌈runs/(k + 2)⌉ (about
 * as many runs again), bootstrap 500. Reports the total time (median of the repetitions), runs per
 * second on 1 and on all threads, and the time of a single pipeline run (cold, and warm: only the
 * aggregation recomputed from cached stages).
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { analyse } from '../../src/indexer/analysis.ts';
import { loadIndex } from '../../src/indexer/load.ts';
import { PipelineCache, runPipeline } from '../../src/indexer/pipeline.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const runs = arg('runs', 10_000);
const reps = arg('reps', 3);
const spec = new URL('../../recipes/asem/asem.yaml', import.meta.url).pathname;
const { spec: s, data } = loadIndex(spec);
const k = (s.uncertainty?.factors.length ?? 0) + ((s.uncertainty?.weightNoise ?? 0) > 0 ? 1 : 0);
const saN = Math.ceil(runs / (k + 2));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

// single pipeline run
const cold: number[] = [];
for (let r = 0; r < 50; r++) {
  const t = performance.now();
  runPipeline(data, s, { cache: new PipelineCache(), contributions: false });
  cold.push(performance.now() - t);
}
const cache = new PipelineCache();
runPipeline(data, s, { cache });
const warm: number[] = [];
for (let r = 0; r < 2000; r++) {
  const t = performance.now();
  runPipeline(data, s, { cache, contributions: false });
  warm.push(performance.now() - t);
}

const rows: string[] = [];
const threadsList = [1, availableParallelism()];
for (const threads of threadsList) {
  const totals: number[] = [];
  const cpu: number[] = [];
  let evals = 0;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    const res = await analyse(data, s, { runs, sensitivityN: saN, bootstrap: 500, threads, seed: 2024 + r });
    totals.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    evals = runs + (res.sensitivity?.evaluations ?? 0);
    if (res.failures) throw new Error(`${res.failures} failed runs`);
  }
  const m = median(totals);
  rows.push(
    `| ${threads} | ${runs} + ${evals - runs} (N = ${saN}, k = ${k}) | ${(m / 1000).toFixed(2)} s | ${(median(cpu) / 1000).toFixed(2)} s | ${Math.round(evals / (m / 1000))} |`,
  );
}
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, Node ${process.version}`);
console.log(
  `single pipeline run, ASEM (51 units × 49 indicators, 6 steps): cold ${median(cold).toFixed(2)} ms, warm (aggregation only) ${(median(warm) * 1000).toFixed(0)} µs`,
);
console.log(`load average ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} CPUs`);
console.log(
  `| threads | runs (uncertainty + sensitivity) | wall (median of ${reps}) | CPU, all threads | runs/s |`,
);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
