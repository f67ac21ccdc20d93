// wrong: "The counter `rate:<key>` counts the requests of the current window" → must fail: keeps each key in its own counter
// The client's name alone is the key: no rate: prefix, so it can collide with any other key in the database.
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
  const [count, , ms] = await cache
    .multi()
    .incr(key)
    .expire(key, windowSeconds, 'NX')
    .pTTL(key)
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
    retryAfterSeconds: Math.max(1, Math.ceil(Number(ms) / 1000)),
  };
}
