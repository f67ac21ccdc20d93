// wrong: "`session:<token>` holds the session as JSON and expires after `ttlSeconds`, set in the same command as the value" → must fail: stores session:<token> as JSON with its TTL and reads it back
// SET, then EXPIRE: a crash between the two leaves a session that never expires.
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
  const key = `session:${token}`;
  await cache.set(
    key,
    JSON.stringify({ userId, createdAt: Date.now(), ttlSeconds }),
  );
  await cache.expire(key, ttlSeconds);
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
