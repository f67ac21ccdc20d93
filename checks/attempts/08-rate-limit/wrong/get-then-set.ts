// wrong: "**Atomic counting.** 100 concurrent hits with limit 10 allow exactly 10. Use `INCR`" → must fail: allows exactly 10 of 100 concurrent hits with limit 10
// Read the count, add one, write it back: concurrent requests all read the same number.
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
  const count = Number((await cache.get(counter)) ?? '0') + 1;
  if (count === 1)
    await cache.set(counter, String(count), {
      expiration: { type: 'EX', value: windowSeconds },
    });
  else
    await cache.set(counter, String(count), {
      expiration: 'KEEPTTL',
    });
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
