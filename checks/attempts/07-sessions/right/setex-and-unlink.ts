// right: setEx, a hex token of exactly 128 bits, and unlink
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
  // 16 bytes, 32 hex characters: 128 bits, the least allowed.
  const token = randomBytes(16).toString('hex');
  await cache.setEx(
    `session:${token}`,
    ttlSeconds,
    JSON.stringify({
      userId,
      createdAt: Date.now(),
      ttl: ttlSeconds,
    }),
  );
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
  await cache.unlink(`session:${token}`);
}
