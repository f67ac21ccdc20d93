// wrong: "or a stored value that does not parse: `getSession` returns `null` and never throws" → must fail: returns null for tampered, empty or foreign tokens, and for a value that does not parse
// Missing keys are handled, but JSON.parse of a broken value throws straight at the caller.
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
  if (raw === null) return null;
  const s = JSON.parse(raw) as Stored;
  await cache.expire(key, s.ttlSeconds);
  return { userId: s.userId, createdAt: s.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
