// wrong: "An expired, destroyed or unknown token (…): `getSession` returns `null` and never throws" → must fail: returns null for an expired session
// JSON.parse(null) is null, and reading .ttlSeconds of null throws a TypeError instead of answering null.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const stored: Stored = {
    userId,
    createdAt: Date.now(),
    ttlSeconds,
  };
  await cache.set(`session:${token}`, JSON.stringify(stored), {
    expiration: { type: 'EX', value: ttlSeconds },
  });
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  const raw = await cache.get(key);
  let s: Stored;
  try {
    s = JSON.parse(raw as string) as Stored;
  } catch {
    return null;
  }
  await cache.expire(key, s.ttlSeconds);
  return { userId: s.userId, createdAt: s.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
