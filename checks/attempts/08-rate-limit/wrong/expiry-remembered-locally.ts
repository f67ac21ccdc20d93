// wrong: "Every `INCR` of the counter travels with its `EXPIRE` in one `MULTI … EXEC` transaction" → must fail: never leaves a counter without a TTL
// The process remembers when each window it started will end, and sends EXPIRE … NX only on a hit it
// believes opens a window. Its belief is its own clock and its own memory: once the counter is gone
// early (deleted, or opened by another process) the next INCR runs alone and leaves a counter with no TTL.
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// rate:<key> → when this process expects its window to end (ms).
const windowEnds = new Map<string, number>();

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const counter = `rate:${key}`;
  const now = Date.now();
  const end = windowEnds.get(counter);
  let count: number;
  let msLeft: number;
  if (end !== undefined && end > now) {
    // A window is running already: no need to send EXPIRE again.
    const [n, ms] = await cache
      .multi()
      .incr(counter)
      .pTTL(counter)
      .exec();
    count = Number(n);
    msLeft = Number(ms);
  } else {
    const [n, , ms] = await cache
      .multi()
      .incr(counter)
      .expire(counter, windowSeconds, 'NX')
      .pTTL(counter)
      .exec();
    count = Number(n);
    msLeft = Number(ms);
    windowEnds.set(counter, now + windowSeconds * 1000);
  }
  const allowed = count <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(msLeft / 1000)),
  };
}
