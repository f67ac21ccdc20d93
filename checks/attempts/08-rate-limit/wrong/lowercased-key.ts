// wrong: "`rate:alice` and `rate:bob` are separate counters" → must fail: keeps each key in its own counter
// (The counter is `rate:<key>`, the key exactly as given.)
// Client names are normalised "so that ALICE cannot dodge the limit as alice": the counter is
// rate:<key in lower case>. Two clients whose keys differ only in case (API keys, base64 tokens) share
// one counter, and one of them uses up the other's limit.
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
  const counter = `rate:${key.toLowerCase()}`;
  const [count, , msLeft] = await cache
    .multi()
    .incr(counter)
    .expire(counter, windowSeconds, 'NX')
    .pTTL(counter)
    .exec();
  const n = Number(count);
  const allowed = n <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - n),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(Number(msLeft) / 1000)),
  };
}
