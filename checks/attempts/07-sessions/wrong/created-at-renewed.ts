// wrong: "`createdAt` is when the session was created, in milliseconds since the epoch" → must fail: slides the expiry on every read
// Sliding by writing the session again, with a fresh createdAt: the read now says the session was created just now.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

async function save(cache: Cache, token: string, s: Stored) {
  await cache.set(`session:${token}`, JSON.stringify(s), {
    expiration: { type: 'EX', value: s.ttlSeconds },
  });
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await save(cache, token, {
    userId,
    createdAt: Date.now(),
    ttlSeconds,
  });
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const raw = await cache.get(`session:${token}`);
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Stored;
    const renewed = { ...s, createdAt: Date.now() };
    await save(cache, token, renewed);
    return { userId: renewed.userId, createdAt: renewed.createdAt };
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
