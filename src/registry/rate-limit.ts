/**
 * Rate limits: a sliding-window log per key ("at most `limit` events in any `windowMs`"), kept in
 * this process's memory. PER PROCESS: each instance of a multi-instance deployment counts on its
 * own (an attacker spread over N instances gets N times the limit), and a restart forgets the
 * counts; such a deployment would keep the windows in PostgreSQL or a shared store (Redis) instead,
 * behind the same `check`/`hit` calls.
 *
 * The registry's limits (`createLimits`):
 *   - sign-in failures: 5 per 15 minutes per email, 20 per 15 minutes per IP address; a blocked
 *     attempt is refused before the password is checked, so the right password does not get through
 *     either; a successful sign-in clears the email's count (the IP's failures stay counted); a
 *     wrong current password in a password change counts as a sign-in failure of that email;
 *   - sign-ups: 10 per hour per IP address;
 *   - password-reset mails: 3 per hour per email, 10 per hour per IP address;
 *   - writes: 60 per minute per user (the HTTP layer calls `limitWrite` before each write).
 *
 * A refusal is a PontisError 'rate_limited' whose details carry `retryAfter` in whole seconds (the
 * HTTP layer sends it as Retry-After with status 429). The clock is injectable for tests.
 */
import { PontisError } from '../core/errors.ts';
import type { Actor } from './roles.ts';

/** Milliseconds since the epoch, like Date.now. */
export type Clock = () => number;

export interface RateLimitDetails {
  /** Seconds until the next attempt may be made. */
  retryAfter: number;
  /** Which limit: 'login.email', 'login.ip', 'signup.ip', 'reset.email', 'reset.ip', 'write.user'. */
  limit: string;
  max: number;
  windowSeconds: number;
}

export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    readonly name: string,
    readonly max: number,
    readonly windowMs: number,
    private readonly now: Clock = Date.now,
    /** Keys kept at most; beyond, expired keys are swept and then the oldest dropped. */
    private readonly maxKeys = 100_000,
  ) {
    if (!(max >= 1 && windowMs > 0)) throw new Error(`rate limit ${name}: max >= 1 and windowMs > 0`);
  }

  /** The key's events still inside the window (pruned in place). */
  private live(key: string, t: number): number[] {
    const list = this.events.get(key);
    if (!list) return [];
    const from = t - this.windowMs;
    let i = 0;
    while (i < list.length && list[i]! <= from) i++;
    if (i > 0) list.splice(0, i);
    if (list.length === 0) this.events.delete(key);
    return list;
  }

  /** Seconds until `key` may act again; 0 when it may now. */
  retryAfter(key: string): number {
    const t = this.now();
    const list = this.live(key, t);
    if (list.length < this.max) return 0;
    // The (length - max + 1)th oldest event has to leave the window first.
    const frees = list[list.length - this.max]! + this.windowMs;
    return Math.max(1, Math.ceil((frees - t) / 1000));
  }

  /** How many more events `key` may have now. */
  remaining(key: string): number {
    return Math.max(0, this.max - this.live(key, this.now()).length);
  }

  /** Throws 'rate_limited' when `key` has used up its events in the window; records nothing. */
  check(key: string): void {
    const retryAfter = this.retryAfter(key);
    if (retryAfter > 0) {
      const details: RateLimitDetails = {
        retryAfter,
        limit: this.name,
        max: this.max,
        windowSeconds: Math.round(this.windowMs / 1000),
      };
      throw new PontisError('rate_limited', `too many attempts; try again in ${retryAfter} s`, {}, details);
    }
  }

  /** Records one event for `key`. */
  hit(key: string): void {
    const t = this.now();
    const list = this.live(key, t);
    if (list.length === 0) {
      if (this.events.size >= this.maxKeys) this.sweep(t);
      this.events.set(key, [t]);
    } else {
      list.push(t);
      // Only the last `max` events matter for the decision.
      if (list.length > this.max) list.splice(0, list.length - this.max);
    }
  }

  /** `check`, then `hit`: for limits that count every attempt (writes, mails). */
  consume(key: string): void {
    this.check(key);
    this.hit(key);
  }

  /**
   * Takes back `key`'s latest event. Sign-in counts an attempt before checking the password (so
   * that parallel attempts cannot all pass `check` while the first ones are still being verified)
   * and releases it when the password was right.
   */
  release(key: string): void {
    const list = this.events.get(key);
    if (!list) return;
    list.pop();
    if (list.length === 0) this.events.delete(key);
  }

  /** Forgets `key`'s events (a successful sign-in clears its email's failures). */
  reset(key: string): void {
    this.events.delete(key);
  }

  private sweep(t: number): void {
    for (const key of [...this.events.keys()]) this.live(key, t);
    // Still full: drop the keys inserted longest ago (Map keeps insertion order).
    for (const key of this.events.keys()) {
      if (this.events.size < this.maxKeys) break;
      this.events.delete(key);
    }
  }
}

const MINUTE = 60_000;

/** The registry's limits (see the header), all on one clock. */
export interface Limits {
  loginEmail: RateLimiter;
  loginIp: RateLimiter;
  signUpIp: RateLimiter;
  resetEmail: RateLimiter;
  resetIp: RateLimiter;
  writes: RateLimiter;
}

export function createLimits(now: Clock = Date.now): Limits {
  return {
    loginEmail: new RateLimiter('login.email', 5, 15 * MINUTE, now),
    loginIp: new RateLimiter('login.ip', 20, 15 * MINUTE, now),
    signUpIp: new RateLimiter('signup.ip', 10, 60 * MINUTE, now),
    resetEmail: new RateLimiter('reset.email', 3, 60 * MINUTE, now),
    resetIp: new RateLimiter('reset.ip', 10, 60 * MINUTE, now),
    writes: new RateLimiter('write.user', 60, MINUTE, now),
  };
}

/** The process's limits, used when a call is not given its own. */
export const defaultLimits: Limits = createLimits();

/** Counts one write by `actor`; throws 'rate_limited' past 60 a minute. */
export function limitWrite(actor: Pick<Actor, 'userId'>, limits: Limits = defaultLimits): void {
  limits.writes.consume(actor.userId);
}
