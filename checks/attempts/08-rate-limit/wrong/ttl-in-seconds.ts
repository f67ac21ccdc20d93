// wrong: "the whole number of seconds until the window resets, rounded up and at least 1 (…) read from the counter's TTL: `Math.ceil(pttl / 1000)`" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// Retry-After is in seconds, so the transaction asks for TTL (seconds) rather than PTTL. Redis rounds
// that TTL to the nearest second: with 1.4 s left it answers 1, and a client that waits 1 s knocks
// again too early and is refused once more.
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
  const [count, , secondsLeft] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'NX')
    .ttl(counter)
    .exec();
  const n = Number(count);
  const allowed = n <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - n),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Number(secondsLeft)),
  };
}
