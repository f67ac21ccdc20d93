// Exercise 08 — A fixed-window rate limiter.
// Task: README.md beside this file. Lesson:
// docs/lessons/07-beyond-caching.md (Rate limiting). Check: npm
// test 08
import type { Cache } from '../../lib/stores.ts';

export interface HitResult {
  /** Whether this request is within the limit. */
  allowed: boolean;
  /** How many more requests this window allows (never negative). */
  remaining: number;
  /**
   * 0 when allowed; when refused, whole seconds until the window
   * resets (at least 1).
   */
  retryAfterSeconds: number;
}

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  // TODO: count this request in `rate:<key>` with INCR, and give
  // the counter its expiry in the same atomic step (MULTI…EXEC or a
  // Lua script), only when the window starts (EXPIRE … NX). TODO:
  // allowed while the count is within the limit; when refused, say
  // how long until the window resets.
  throw new Error('TODO: hit is not written yet (exercise 08)');
}
