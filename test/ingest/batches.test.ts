import { describe, expect, it } from 'vitest';
import type { RawObservation } from '../../src/core/observation.ts';
import { Batcher, batched, batchSize, DEFAULT_BATCH_SIZE } from '../../src/ingest/batches.ts';

const obs = (n: number): RawObservation[] =>
  Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    indicator: 'X',
    geo: 'KEN',
    period: '2019',
    value: String(i),
  }));

describe('batches', () => {
  it('splits into full batches and a last partial one, never an empty one', async () => {
    const sizes = async (n: number, size: number) => {
      const out: number[] = [];
      for await (const b of batched(obs(n), size)) out.push(b.length);
      return out;
    };
    expect(await sizes(7, 3)).toEqual([3, 3, 1]);
    expect(await sizes(6, 3)).toEqual([3, 3]);
    expect(await sizes(0, 3)).toEqual([]);
  });

  it('keeps order and falls back to the default size for nonsense sizes', () => {
    expect([0, -5, Number.NaN, undefined].map(batchSize)).toEqual(Array(4).fill(DEFAULT_BATCH_SIZE));
    expect(batchSize(2.7)).toBe(2);
    const b = new Batcher(2);
    const all = obs(3);
    expect(b.push(all[0] as RawObservation)).toBeUndefined();
    expect(b.push(all[1] as RawObservation)).toEqual(all.slice(0, 2));
    expect(b.push(all[2] as RawObservation)).toBeUndefined();
    expect(b.flush()).toEqual(all.slice(2));
    expect(b.flush()).toBeUndefined();
  });
});
