// wrong: "Each call is one request by the client named `key`" → must fail: counts every hit in Redis, refused ones too, and lets the client back in once its counter is deleted
// (The counter `rate:<key>` counts the requests of the current window, the refused ones too.)
// Once a client is refused, this process remembers until when and refuses it without asking Redis: the
// refused requests are never counted, another process does not know about them, and a counter reset
// in Redis (a DEL by an operator) does not let the client back in until the remembered time.
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// rate:<key> → until when (ms) it is refused, as last read from PTTL.
const refusedUntil = new Map<string, number>();

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const counter = `rate:${key}`;
  const until = refusedUntil.get(counter);
  const now = Date.now();
  if (until !== undefined && until > now) {
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((until - now) / 1000),
      ),
    };
  }
  refusedUntil.delete(counter);
  const [count, , msLeft] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'NX')
    .pTTL(counter)
    .exec();
  const n = Number(count);
  const ms = Number(msLeft);
  if (n <= limit)
    return {
      allowed: true,
      remaining: limit - n,
      retryAfterSeconds: 0,
    };
  refusedUntil.set(counter, now + ms);
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
  };
}
