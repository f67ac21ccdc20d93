// wrong: "`getSession(cache, token)` returns `{ userId, createdAt }` for a live session, or `null`." → must fail: stores session:<token> as JSON with its TTL and reads it back
// "No user, no session": the guard tests the userId for truthiness, so the live session of user 0 reads
// as null (and is never slid). The learner meant to catch a stored value without a userId.
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
  if (!text) return null;
  let stored: Partial<Stored> | null;
  try {
    stored = JSON.parse(text) as Partial<Stored> | null;
  } catch {
    return null;
  }
  if (!stored?.userId || !stored.createdAt || !stored.ttlSeconds)
    return null;
  await cache.expire(key, stored.ttlSeconds);
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
