// right: SET EX inside MULTI, and GETEX with the stored lifetime
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored {
  userId: number;
  createdAt: number;
  ttlSeconds: number;
}

function decode(text: string | null): Stored | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<Stored> | null;
    return v !== null &&
      typeof v === 'object' &&
      Number.isInteger(v.userId) &&
      Number.isFinite(v.createdAt) &&
      Number.isInteger(v.ttlSeconds)
      ? (v as Stored)
      : null;
  } catch {
    return null;
  }
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(20).toString('base64url');
  const stored: Stored = {
    userId,
    createdAt: Date.now(),
    ttlSeconds,
  };
  await cache
    .multi()
    .set(`session:${token}`, JSON.stringify(stored), {
      expiration: { type: 'EX', value: ttlSeconds },
    })
    .exec();
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  const stored = decode(await cache.get(key));
  if (stored === null) return null;
  // GETEX renews the TTL; its answer is the same value.
  const again = decode(
    await cache.getEx(key, {
      type: 'EX',
      value: stored.ttlSeconds,
    }),
  );
  if (again === null) return null;
  return { userId: again.userId, createdAt: again.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
