// right: SET and EXPIRE queued in one MULTI, so the key never lives without its TTL
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

function isStored(
  v: unknown,
): v is { userId: number; createdAt: number; ttl: number } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.userId === 'number' &&
    typeof o.createdAt === 'number' &&
    typeof o.ttl === 'number'
  );
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const key = `session:${token}`;
  await cache
    .multi()
    .set(
      key,
      JSON.stringify({
        userId,
        createdAt: Date.now(),
        ttl: ttlSeconds,
      }),
    )
    .expire(key, ttlSeconds)
    .exec();
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  let value: unknown;
  try {
    const text = await cache.get(key);
    if (text === null) return null;
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isStored(value)) return null;
  await cache.expire(key, value.ttl);
  return { userId: value.userId, createdAt: value.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
