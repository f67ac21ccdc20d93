// right: a Lua script that reads and slides the expiry in one step
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

// Reads the session and renews its TTL from the lifetime stored in
// it; a value that does not decode is returned untouched, and the
// caller refuses it.
const READ_AND_SLIDE = `
local text = redis.call('GET', KEYS[1])
if not text then return false end
local ok, s = pcall(cjson.decode, text)
if ok and type(s) == 'table' and type(s.ttlSeconds) == 'number' then
  redis.call('EXPIRE', KEYS[1], s.ttlSeconds)
end
return text
`;

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await cache.set(
    `session:${token}`,
    JSON.stringify({ userId, createdAt: Date.now(), ttlSeconds }),
    { expiration: { type: 'EX', value: ttlSeconds } },
  );
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  try {
    const text = await cache.eval(READ_AND_SLIDE, {
      keys: [`session:${token}`],
    });
    if (typeof text !== 'string') return null;
    const s = JSON.parse(text) as Partial<
      Session & { ttlSeconds: number }
    > | null;
    if (
      typeof s?.userId !== 'number' ||
      typeof s.createdAt !== 'number' ||
      typeof s.ttlSeconds !== 'number'
    )
      return null;
    return { userId: s.userId, createdAt: s.createdAt };
  } catch {
    return null;
  }
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
