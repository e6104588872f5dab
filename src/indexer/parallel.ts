/**
 * Spreads model evaluations over threads with a shared queue of chunks: the calling thread works
 * through the queue at once while worker threads start (about a second each, as they compile the
 * TypeScript sources through tsx) and then take chunks too, so a short analysis is never slower
 * than on one thread and a long one uses every core. `threads` counts the calling thread.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromRoot } from '../core/paths.ts';
import type { IndexData } from './data.ts';
import type { FromWorker, ToWorker } from './mc-worker.ts';
import { IndexModel } from './model.ts';
import type { IndexSpec, UncertaintySpec } from './spec.ts';

export interface EvaluateOptions {
  /** Threads in all, the calling one included (default: 1 below 8,192 points, else the cores, at most 8). */
  threads?: number;
  /** Points per chunk (default 256). */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * A worker running mc-worker.ts. On Node 20, `execArgv: ['--import', 'tsx']` does not reach a
 * worker's entry module, so a small bootstrap registers tsx's ESM hooks in the worker and then
 * imports the TypeScript entry (the same code path under tsx, vitest and the CLI).
 */
function startWorker(): Worker {
  const entry = pathToFileURL(fromRoot('src/indexer/mc-worker.ts')).href;
  const api = pathToFileURL(
    createRequire(fromRoot('package.json'))
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

const tick = () => new Promise<void>((r) => setImmediate(r));

export async function evaluatePoints(
  data: IndexData,
  spec: IndexSpec,
  unc: UncertaintySpec,
  points: Float64Array,
  k: number,
  nOutputs: number,
  opts: EvaluateOptions = {},
): Promise<{ outputs: Float64Array; failures: number }> {
  const rows = points.length / k;
  const size = Math.max(1, opts.chunk ?? 256);
  const nChunks = Math.ceil(rows / size);
  // a worker costs about 0.3 s to start: below ~8,000 points (~0.4 s of work) one thread is faster
  const threads = Math.max(1, Math.min(opts.threads ?? (rows < 8192 ? 1 : defaultThreads()), nChunks));
  const outputs = new Float64Array(rows * nOutputs);
  let failures = 0;
  let next = 0;
  let done = 0;
  const report = () => opts.onProgress?.(done, rows);
  const range = (c: number) => [c * size, Math.min(rows, (c + 1) * size)] as const;

  const model = new IndexModel(data, spec, unc);
  const workers: Worker[] = [];
  let workerError: Error | undefined;
  let pending = 0;
  let wake: (() => void) | undefined;
  const give = (w: Worker) => {
    if (next >= nChunks) return false;
    const c = next++;
    const [r0, r1] = range(c);
    pending++;
    w.postMessage({ type: 'chunk', id: c, points: points.slice(r0 * k, r1 * k), k } satisfies ToWorker);
    return true;
  };
  for (let t = 1; t < threads; t++) {
    const w = startWorker();
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'ready') give(w);
      else if (m.type === 'result') {
        const [r0, r1] = range(m.id);
        outputs.set(m.outputs, r0 * nOutputs);
        failures += m.failures;
        done += r1 - r0;
        pending--;
        report();
        give(w);
      } else workerError = new Error(m.message);
      wake?.();
    });
    w.on('error', (e) => {
      workerError = e;
      wake?.();
    });
    w.postMessage({ type: 'init', spec, data, unc } satisfies ToWorker);
  }
  try {
    while (next < nChunks) {
      const c = next++;
      const [r0, r1] = range(c);
      outputs.set(model.evaluateMany(points.subarray(r0 * k, r1 * k), k), r0 * nOutputs);
      done += r1 - r0;
      report();
      // let worker messages in, and on one thread let a progress display's timers run (a bar drawn
      // from a setInterval would otherwise never be drawn while this loop holds the event loop)
      if (workers.length || opts.onProgress) await tick();
      if (workerError) throw workerError;
    }
    while (pending > 0) {
      await new Promise<void>((r) => {
        wake = r;
      });
      if (workerError) throw workerError;
    }
  } finally {
    for (const w of workers) void w.terminate();
  }
  failures += model.failures;
  return { outputs, failures };
}
