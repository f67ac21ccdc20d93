// Exercise 08 — A fixed-window rate limiter. Reference solution.
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
  const counter = `rate:${key}`;
  // One MULTI: the count and its expiry are applied together, so no
  // crash between two calls can leave a counter that never expires
  // and locks its client out for good.
  const [count, , msLeft] = await cache
    .multi()
    .incr(counter)
    // only the window's first hit starts its clock
    .expire(counter, windowSeconds, 'NX')
    .pTTL(counter)
    .exec();
  const used = Number(count);
  if (used <= limit)
    return {
      allowed: true,
      remaining: limit - used,
      retryAfterSeconds: 0,
    };
  // Rounded up: retrying after a rounded-down wait would land just
  // before the reset.
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.max(
      1,
      Math.ceil(Number(msLeft) / 1000),
    ),
  };
}
