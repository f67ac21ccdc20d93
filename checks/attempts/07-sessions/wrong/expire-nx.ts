// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again" → must fail: slides the expiry on every read
// The EXPIRE that slides carries NX, copied from the rate limiter "so it never clobbers a TTL". NX sets
// an expiry only on a key that has none, and a session always has one: the read renews nothing.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

function decode(text: string): Stored | null {
  try {
    const v = JSON.parse(text) as Partial<Stored> | null;
    if (
      typeof v?.userId !== 'number' ||
      typeof v.createdAt !== 'number' ||
      typeof v.ttlSeconds !== 'number'
    )
      return null;
    return v as Stored;
  } catch {
    return null;
  }
}

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
  const key = `session:${token}`;
  const text = await cache.get(key);
  if (text === null) return null;
  const stored = decode(text);
  if (stored === null) return null;
  await cache.expire(key, stored.ttlSeconds, 'NX');
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
