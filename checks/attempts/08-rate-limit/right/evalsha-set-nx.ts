// right: a script loaded once (SCRIPT LOAD) and run with EVALSHA, reloaded after NOSCRIPT
import type { Cache } from '../../../../lib/stores.ts';

export interface HitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// SET … NX EX creates the counter with its window on the first hit
// only; INCR keeps that TTL; PTTL is the time left.
const COUNT = `
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local n = redis.call('INCR', KEYS[1])
return { n, redis.call('PTTL', KEYS[1]) }
`;

// The SHA of a script is a function of its text, so it may be cached;
// Redis may forget the script itself (SCRIPT FLUSH, a restart).
let sha: string | undefined;

async function run(
  cache: Cache,
  counter: string,
  windowSeconds: number,
): Promise<[number, number]> {
  const options = {
    keys: [counter],
    arguments: [String(windowSeconds)],
  };
  for (let attempt = 0; ; attempt++) {
    sha ??= await cache.scriptLoad(COUNT);
    try {
      return (await cache.evalSha(sha, options)) as [
        number,
        number,
      ];
    } catch (error) {
      const noScript =
        error instanceof Error &&
        error.message.startsWith('NOSCRIPT');
      if (!noScript || attempt > 0) throw error;
      sha = undefined;
    }
  }
}

export async function hit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<HitResult> {
  const [count, msLeft] = await run(
    cache,
    `rate:${key}`,
    windowSeconds,
  );
  if (count <= limit)
    return {
      allowed: true,
      remaining: limit - count,
      retryAfterSeconds: 0,
    };
  return {
    allowed: false,
    remaining: 0,
    retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}
