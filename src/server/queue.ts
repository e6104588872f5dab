/**
 * The store has one DuckDB connection, so library calls run one at a time through this queue.
 * It bounds the cost of any request: at most `maxPending` calls wait (more are refused with 503 and
 * Retry-After), and a call running longer than `timeoutMs` is interrupted (DuckDB's interrupt on
 * the running statement) and answered with 503. The next call starts only when the interrupted one
 * has settled, so the connection is never shared.
 */
import { HttpProblem } from './problem.ts';

export interface QueueOptions {
  /** Calls allowed to wait behind the running one (default 64). */
  maxPending?: number;
  /** Per-call time limit in ms (default 10 000). */
  timeoutMs?: number;
  /** Called when a call times out (e.g. () => store.interrupt()). */
  onTimeout?: () => void;
}

export class QueryQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  readonly maxPending: number;
  readonly timeoutMs: number;
  private readonly onTimeout: () => void;

  constructor(o: QueueOptions = {}) {
    this.maxPending = o.maxPending ?? 64;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.onTimeout = o.onTimeout ?? (() => undefined);
  }

  /** Settles when every call queued so far has settled (used before closing the store). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /** Calls waiting or running. */
  get size(): number {
    return this.waiting;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.waiting > this.maxPending)
      return Promise.reject(
        new HttpProblem('busy', 'too many requests are waiting; retry shortly', undefined, {
          'retry-after': '1',
        }),
      );
    this.waiting++;
    let release: () => void = () => undefined;
    const slot = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.tail;
    // The next call waits until this one has settled, even if its caller was answered at the timeout.
    this.tail = previous.then(() => slot);
    const result = previous.then(() => {
      const call = Promise.resolve().then(fn);
      call.then(release, release);
      return this.race(call);
    });
    return result.finally(() => {
      this.waiting--;
    });
  }

  private race<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.onTimeout();
        reject(new HttpProblem('timeout', `the query took longer than ${this.timeoutMs} ms and was stopped`));
      }, this.timeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}
