// wrong: "The first hit creates it and starts a window of `windowSeconds`" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// pExpire counts in milliseconds: a 60-second window lasts 60 ms, and the limit never bites.
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
    .pExpire(counter, windowSeconds, 'NX')
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
