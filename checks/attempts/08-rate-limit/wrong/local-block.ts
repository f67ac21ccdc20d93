// wrong: "**Keys are independent.** One client using up its limit does not affect another" → must fail: keeps each key in its own counter
// Skipping Redis while refused saves round trips, but the "blocked until" lives in one variable for every client.
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

let blockedUntil = 0;

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const now = Date.now();
  if (now < blockedUntil)
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((blockedUntil - now) / 1000),
      ),
    };
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
  blockedUntil = now + Number(ms);
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.max(1, Math.ceil(Number(ms) / 1000)),
  };
}
