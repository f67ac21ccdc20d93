// wrong: "Set the expiry only on the window's first hit (`EXPIRE key seconds NX`)" → must fail: starts a new window once the old one ends, even while the client keeps knocking
// Atomic, but every hit restarts the window: a client that keeps knocking is never let back in.
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
    .expire(counter, windowSeconds)
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
    retryAfterSeconds: Math.max(1, Math.ceil(Number(ms) / 1000)),
  };
}
