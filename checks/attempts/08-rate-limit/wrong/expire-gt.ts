// wrong: "Set the expiry only on the window's first hit (`EXPIRE key seconds NX`, Redis 7 and newer)" → must fail: never leaves a counter without a TTL
// GT was taken for "only if it makes the window longer, never shorter". Redis treats a key with no TTL
// as one that lives forever for GT, so EXPIRE … GT never sets the first expiry: every counter lives
// without a TTL, and its client is refused for good once it reaches the limit.
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
  const [count, , msLeft] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'GT')
    .pTTL(counter)
    .exec();
  const n = Number(count);
  const allowed = n <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - n),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(Number(msLeft) / 1000)),
  };
}
