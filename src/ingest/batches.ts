import type { RawObservation } from '../core/observation.ts';

export const DEFAULT_BATCH_SIZE = 10_000;

/** Group observations into arrays of `size` (the last one may be shorter; no empty batch is yielded). */
export async function* batched(
  items: AsyncIterable<RawObservation> | Iterable<RawObservation>,
  size: number = DEFAULT_BATCH_SIZE,
): AsyncGenerator<RawObservation[]> {
  const n = Number.isFinite(size) && size >= 1 ? Math.floor(size) : DEFAULT_BATCH_SIZE;
  let batch: RawObservation[] = [];
  for await (const obs of items) {
    batch.push(obs);
    if (batch.length >= n) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
