// wrong: "`remaining` is how many more requests the window allows: `limit - count`, and **never negative** (0 once refused)" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// remaining is limit - count every time: -1, -2, … once the limit is passed.
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
  const allowed = n <= limit;
  return {
    allowed,
    remaining: limit - n,
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(Number(ms) / 1000)),
  };
}
