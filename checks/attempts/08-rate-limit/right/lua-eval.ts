// right: one Lua script through eval, expiry set when the counter has none
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// INCR, an expiry only if the key has none yet, and the time left:
// Redis runs the whole script as one unit.
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return { n, redis.call('PTTL', KEYS[1]) }
`;

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const reply = (await cache.eval(COUNT, {
    keys: [`rate:${key}`],
    arguments: [String(windowSeconds)],
  })) as [number, number];
  const [count, msLeft] = reply;
  const allowed = count <= limit;
  return {
    allowed,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: allowed
      ? 0
      : Math.max(1, Math.ceil(msLeft / 1000)),
  };
}
