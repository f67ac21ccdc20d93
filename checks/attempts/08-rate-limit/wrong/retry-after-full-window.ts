// wrong: "When refused, it is the whole number of seconds until the window resets (…) read from the counter's TTL" → must fail: allows up to the limit, then refuses, with remaining and retryAfterSeconds
// "Come back in one window" is the answer to every refusal: retryAfterSeconds is windowSeconds, not
// the time left. A client refused 2 s before the window of 60 s ends is told to wait a whole minute.
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
  const [count] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'NX')
    .exec();
  const n = Number(count);
  const allowed = n <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - n),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(windowSeconds)),
  };
}
