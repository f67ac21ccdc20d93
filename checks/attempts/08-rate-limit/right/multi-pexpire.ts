// right: MULTI with INCRBY, PEXPIRE … NX in milliseconds and PTTL
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
  const replies = await cache
    .multi()
    .incrBy(counter, 1)
    .pExpire(counter, windowSeconds * 1000, 'NX')
    .pTTL(counter)
    .exec();
  const count = Number(replies[0]);
  const msLeft = Number(replies[2]);
  if (count > limit) {
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
    };
  }
  return {
    allowed: true,
    remaining: limit - count,
    retryAfterSeconds: 0,
  };
}
