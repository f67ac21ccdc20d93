// wrong: "An `INCR` followed by a separate `EXPIRE` leaves a counter without a TTL if the process dies in between" → must fail: counts and sets the expiry in one atomic step (MULTI…EXEC or a script)
// EXPIRE NX after every INCR repairs a lost TTL on the next hit, but the two still travel apart.
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
  const count = await cache.incr(counter);
  await cache.expire(counter, windowSeconds, 'NX');
  if (count <= limit)
    return {
      allowed: true,
      remaining: limit - count,
      retryAfterSeconds: 0,
    };
  const ms = await cache.pTTL(counter);
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
  };
}
