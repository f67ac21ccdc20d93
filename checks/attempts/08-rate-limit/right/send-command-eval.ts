// right: EVAL sent as a raw command, with EXPIRE … NX inside the script
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

const SCRIPT =
  "local n = redis.call('INCR', KEYS[1]) " +
  "redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX') " +
  "return { n, redis.call('PTTL', KEYS[1]) }";

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const reply = await cache.sendCommand<[number, number]>([
    'EVAL',
    SCRIPT,
    '1',
    `rate:${key}`,
    String(windowSeconds),
  ]);
  const count = Number(reply[0]);
  const ms = Number(reply[1]);
  return count <= limit
    ? {
        allowed: true,
        remaining: limit - count,
        retryAfterSeconds: 0,
      }
    : {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
      };
}
