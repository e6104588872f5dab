import type { RawObservation } from '../core/observation.ts';

export const DEFAULT_BATCH_SIZE = 10_000;

/** A valid batch size: a positive integer, else the default. */
export function batchSize(size: number | undefined): number {
  return size !== undefined && Number.isFinite(size) && size >= 1 ? Math.floor(size) : DEFAULT_BATCH_SIZE;
}

/**
 * Collects observations into batches. Readers push observations and yield what `push` returns (a
 * full batch, or undefined), then yield `flush()` at the end. Building batches synchronously keeps
 * the cost per observation low: one await per batch, not one per observation.
 */
export class Batcher {
  private batch: RawObservation[] = [];
  readonly size: number;

  constructor(size?: number) {
    this.size = batchSize(size);
  }

  push(obs: RawObservation): RawObservation[] | undefined {
    this.batch.push(obs);
    if (this.batch.length < this.size) return undefined;
    const full = this.batch;
    this.batch = [];
    return full;
  }

  /** The last, partial batch (undefined when empty). */
  flush(): RawObservation[] | undefined {
    if (this.batch.length === 0) return undefined;
    const last = this.batch;
    this.batch = [];
    return last;
  }
}

/** Group observations into arrays of `size` (the last one may be shorter; no empty batch is yielded). */
export async function* batched(
  items: AsyncIterable<RawObservation> | Iterable<RawObservation>,
  size?: number,
): AsyncGenerator<RawObservation[]> {
  const b = new Batcher(size);
  for await (const obs of items) {
    const full = b.push(obs);
    if (full) yield full;
  }
  const last = b.flush();
  if (last) yield last;
}

/** Batches from a synchronous generator, without awaiting per observation. */
export async function* batchedSync(
  items: Iterable<RawObservation>,
  size?: number,
): AsyncGenerator<RawObservation[]> {
  const b = new Batcher(size);
  for (const obs of items) {
    const full = b.push(obs);
    if (full) yield full;
  }
  const last = b.flush();
  if (last) yield last;
}
