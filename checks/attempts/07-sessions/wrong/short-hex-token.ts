// wrong: "with **at least 128 random bits**" → must fail: draws tokens of at least 128 random bits, all different
// Twelve bytes felt like plenty: 24 hex characters are only 96 bits.
import type { Cache } from '../../../../lib/stores.ts';
import { randomBytes } from 'node:crypto';

export interface Session {
  userId: number;
  createdAt: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(12).toString('hex');
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
