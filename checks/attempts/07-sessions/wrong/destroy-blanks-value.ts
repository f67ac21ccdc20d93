// wrong: "**Logging out** deletes `session:<token>`" → must fail: destroySession logs out: the key is gone and the token reads as null
// Logging out empties the value and lets the TTL clean up; getSession treats "" as no session, but the key is still there.
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
  const raw = await cache.get(key);
  if (!raw) return null;
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
  await cache.set(`session:${token}`, '', {
    expiration: 'KEEPTTL',
  });
}
