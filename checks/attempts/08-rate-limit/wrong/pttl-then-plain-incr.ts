// wrong: "Every `INCR` of the counter travels with its `EXPIRE` in one `MULTI … EXEC` transaction, or runs inside a Lua script" → must fail: counts and sets the expiry in one atomic step (MULTI…EXEC or a script)
// It asks for the TTL first and wraps INCR with EXPIRE only when there is no counter yet, sending a
// bare INCR otherwise. If the counter expires between the PTTL and the INCR, that INCR creates a new
// counter with no TTL at all, and the client is refused forever. The Retry-After is read before the count too.
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
  const msLeft = await cache.pTTL(counter);
  let count: number;
  if (msLeft < 0) {
    const [n] = await cache
      .multi()
      .incr(counter)
      .expire(counter, windowSeconds, 'NX')
      .exec();
    count = Number(n);
  } else {
    count = await cache.incr(counter);
  }
  const allowed = count <= limit;
  const ms = msLeft < 0 ? windowSeconds * 1000 : msLeft;
  return {
    allowed,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(ms / 1000)),
  };
}
