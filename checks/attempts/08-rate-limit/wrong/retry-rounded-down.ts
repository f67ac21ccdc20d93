// wrong: "the whole number of seconds until the window resets, rounded up and at least 1" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// Math.floor of the milliseconds left: retrying after that lands just before the reset (and 0 in the last second).
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const counter = `rate:${key}`;
  const [count, , ms] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'NX')
    .pTTL(counter)
    .exec();
  const n = Number(count);
  if (n <= limit)
    return {
      allowed: true,
      remaining: limit - n,
      retryAfterSeconds: 0,
    };
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.floor(Number(ms) / 1000),
  };
}
