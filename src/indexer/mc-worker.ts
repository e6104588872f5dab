/**
 * Worker thread body for Monte Carlo runs: builds the model from the spec and data it is sent,
 * evaluates its share of the points and posts the outputs back (transferring the buffer).
 */
import { parentPort } from 'node:worker_threads';
import type { IndexData } from './data.ts';
import { IndexModel } from './model.ts';
import type { IndexSpec, UncertaintySpec } from './spec.ts';

export interface WorkerTask {
  spec: IndexSpec;
  data: IndexData;
  unc: UncertaintySpec;
  points: Float64Array;
  k: number;
}

export type WorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; outputs: Float64Array; failures: number }
  | { type: 'error'; message: string };

parentPort?.on('message', (task: WorkerTask) => {
  try {
    const model = new IndexModel(task.data, task.spec, task.unc);
    const outputs = model.evaluateMany(task.points, task.k, (done) =>
      parentPort?.postMessage({ type: 'progress', done } satisfies WorkerMessage),
    );
    parentPort?.postMessage({ type: 'done', outputs, failures: model.failures } satisfies WorkerMessage, [
      outputs.buffer as ArrayBuffer,
    ]);
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerMessage);
  }
});
