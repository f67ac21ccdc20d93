// wrong: "`createdAt` is when the session was created, in milliseconds since the epoch (`Date.now()`)" → must fail: stores session:<token> as JSON with its TTL and reads it back
// A Unix timestamp in seconds, as many APIs use: a thousand times too small.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const createdAt = Math.floor(Date.now() / 1000);
  await cache.set(
    `session:${token}`,
    JSON.stringify({ userId, createdAt, ttlSeconds }),
    { expiration: { type: 'EX', value: ttlSeconds } },
  );
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  const raw = await cache.get(key);
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Session & { ttlSeconds: number };
    await cache.expire(key, s.ttlSeconds);
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
