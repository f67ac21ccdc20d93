// wrong: "`getSession` is not told the TTL, so keep it in the stored JSON" → must fail: reads and slides, in another process, a session this one created, and sees its logout there
// The lifetime is remembered in a Map of this process (token → ttlSeconds) to keep the stored JSON to
// what the README lists. Another process (a second server, or this one after a restart) finds no entry
// and reads without sliding: there the session ends ttlSeconds after login, however busy its user.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

const lifetimes = new Map<string, number>();

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await cache.set(
    `session:${token}`,
    JSON.stringify({ userId, createdAt: Date.now() }),
    { expiration: { type: 'EX', value: ttlSeconds } },
  );
  lifetimes.set(token, ttlSeconds);
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  const text = await cache.get(key);
  if (text === null) return null;
  let value: Partial<Session> | null;
  try {
    value = JSON.parse(text) as Partial<Session> | null;
  } catch {
    return null;
  }
  if (
    typeof value?.userId !== 'number' ||
    typeof value.createdAt !== 'number'
  )
    return null;
  const ttl = lifetimes.get(token);
  if (ttl !== undefined) await cache.expire(key, ttl);
  return { userId: value.userId, createdAt: value.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  lifetimes.delete(token);
  await cache.del(`session:${token}`);
}
