/**
 * Spreads model evaluations over worker threads (one contiguous chunk of points per thread).
 * Workers run the TypeScript sources through tsx (`--import tsx`), so this works the same under
 * `npx tsx`, vitest and the CLI. With threads ≤ 1 everything runs in the calling thread.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IndexData } from './data.ts';
import type { WorkerMessage, WorkerTask } from './mc-worker.ts';
import { IndexModel } from './model.ts';
import type { IndexSpec, UncertaintySpec } from './spec.ts';

export interface EvaluateOptions {
  threads?: number;
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
  const entry = new URL('./mc-worker.ts', import.meta.url).href;
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

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
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), rows));
  if (threads <= 1) {
    const model = new IndexModel(data, spec, unc);
    const outputs = model.evaluateMany(points, k, (d) => opts.onProgress?.(d, rows));
    return { outputs, failures: model.failures };
  }
  const chunk = Math.ceil(rows / threads);
  const outputs = new Float64Array(rows * nOutputs);
  const progress = new Array<number>(threads).fill(0);
  let failures = 0;
  const jobs = Array.from({ length: threads }, (_, t) => {
    const r0 = t * chunk;
    const r1 = Math.min(rows, r0 + chunk);
    return new Promise<void>((resolve, reject) => {
      if (r1 <= r0) return resolve();
      const w = startWorker();
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
          progress[t] = m.done;
          opts.onProgress?.(
            progress.reduce((s, v) => s + v, 0),
            rows,
          );
        } else if (m.type === 'done') {
          outputs.set(m.outputs, r0 * nOutputs);
          failures += m.failures;
          void w.terminate();
          resolve();
        } else {
          void w.terminate();
          reject(new Error(m.message));
        }
      });
      w.on('error', reject);
      const task: WorkerTask = { spec, data, unc, points: points.slice(r0 * k, r1 * k), k };
      w.postMessage(task);
    });
  });
  await Promise.all(jobs);
  return { outputs, failures };
}
