/** The query queue: one call at a time, time limit, bounded waiting. */
import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../../src/server/problem.ts';
import { QueryQueue } from '../../src/server/queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('QueryQueue', () => {
  it('runs calls one at a time, in order', async () => {
    const q = new QueryQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const out = await Promise.all([q.run(job('a', 20)), q.run(job('b', 1)), q.run(job('c', 5))]);
    expect(out).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(q.size).toBe(0);
  });

  it('answers a slow call at the time limit, interrupts it, and starts the next only when it has settled', async () => {
    let interrupted = 0;
    const q = new QueryQueue({ timeoutMs: 10, onTimeout: () => interrupted++ });
    let slowDone = false;
    const slow = q.run(async () => {
      await sleep(60);
      slowDone = true;
    });
    let nextStartedAfterSlow: boolean | undefined;
    const next = q.run(async () => {
      nextStartedAfterSlow = slowDone;
      return 1;
    });
    await expect(slow).rejects.toBeInstanceOf(HttpProblem);
    expect(interrupted).toBe(1);
    expect(await next).toBe(1);
    expect(nextStartedAfterSlow).toBe(true);
  });

  it('errors pass through and do not block the queue', async () => {
    const q = new QueryQueue();
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      q.run(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(await q.run(async () => 2)).toBe(2);
  });

  it('refuses calls beyond maxPending with a busy problem', async () => {
    const q = new QueryQueue({ maxPending: 1 });
    const calls = Array.from({ length: 5 }, () => q.run(() => sleep(5)));
    const settled = await Promise.allSettled(calls);
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.length).toBe(3);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ slug: 'busy' });
  });
});
