// wrong: "Every `INCR` of the counter travels with its `EXPIRE` in one `MULTI … EXEC` transaction, or runs inside a Lua script" → must fail: counts and sets the expiry in one atomic step (MULTI…EXEC or a script)
// The classic pattern: INCR, and EXPIRE when the count is 1. A crash between the two leaves a counter with no TTL.
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
  if (count === 1) await cache.expire(counter, windowSeconds);
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
