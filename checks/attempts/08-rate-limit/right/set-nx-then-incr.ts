// right: MULTI that creates the counter with SET NX EX, then INCR (which keeps the TTL)
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
  const [, count, msLeft] = await cache
    .multi()
    .set(counter, '0', {
      condition: 'NX',
      expiration: { type: 'EX', value: windowSeconds },
    })
    .incr(counter)
    .pTTL(counter)
    .exec();
  const used = Number(count);
  const remaining = Math.max(0, limit - used);
  if (used <= limit)
    return { allowed: true, remaining, retryAfterSeconds: 0 };
  return {
    allowed: false,
    remaining,
    retryAfterSeconds: Math.max(
      1,
      Math.ceil(Number(msLeft) / 1000),
    ),
  };
}
