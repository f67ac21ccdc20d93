// wrong: "a tampered one (a character changed, added or removed) (…): `getSession` returns `null`" → must fail: returns null for tampered, empty or foreign tokens, and for a value that does not parse
// Cookie values sometimes arrive with stray spaces, so getSession trims the token before the lookup.
// A token with whitespace added at either end is not what createSession issued, yet it finds the
// session and logs its bearer in.
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
  const clean = token.trim();
  if (clean === '') return null;
  const key = `session:${clean}`;
  const text = await cache.get(key);
  if (text === null) return null;
  const stored = decode(text);
  if (stored === null) return null;
  await cache.expire(key, stored.ttlSeconds);
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
