// wrong: "`retryAfterSeconds` is `0` when allowed" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// The time to the reset is reported on every hit, allowed or not.
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
  return {
    allowed: n <= limit,
    remaining: Math.max(0, limit - n),
    retryAfterSeconds: Math.max(1, Math.ceil(Number(ms) / 1000)),
  };
}
