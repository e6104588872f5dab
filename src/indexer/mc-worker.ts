/**
 * Worker thread body for Monte Carlo runs: builds the model once from the spec and data of the
 * `init` message, then evaluates each chunk of points it is sent and posts the outputs back
 * (transferring the buffer).
 */
import { parentPort } from 'node:worker_threads';
import type { IndexData } from './data.ts';
import { IndexModel } from './model.ts';
import type { IndexSpec, UncertaintySpec } from './spec.ts';

export type ToWorker =
  | { type: 'init'; spec: IndexSpec; data: IndexData; unc: UncertaintySpec }
  | { type: 'chunk'; id: number; points: Float64Array; k: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; outputs: Float64Array; failures: number }
  | { type: 'error'; message: string };

let model: IndexModel | undefined;

parentPort?.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') {
      model = new IndexModel(m.data, m.spec, m.unc);
      parentPort?.postMessage({ type: 'ready' } satisfies FromWorker);
      return;
    }
    if (!model) throw new Error('chunk before init');
    const before = model.failures;
    const outputs = model.evaluateMany(m.points, m.k);
    parentPort?.postMessage(
      { type: 'result', id: m.id, outputs, failures: model.failures - before } satisfies FromWorker,
      [outputs.buffer as ArrayBuffer],
    );
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: (e as Error).message } satisfies FromWorker);
  }
});
