// wrong: "with **at least 128 random bits** (…) a UUID carries only 122" → must fail: draws tokens of at least 128 random bits, all different
// A UUID looks like the standard answer, but six of its bits are fixed.
import type { Cache } from '../../../../lib/stores.ts';
import { randomUUID } from 'node:crypto';

export interface Session {
  userId: number;
  createdAt: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomUUID();
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
