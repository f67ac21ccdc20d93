// wrong: "`allowed` is `true` while this request's number is within `limit` (the first `limit` requests of a window)" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// count < limit refuses the limit-th request: a limit of 10 lets 9 through.
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
  if (n < limit)
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
