// right: raw commands through sendCommand, a base64 token
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
  // 24 bytes in standard base64: 32 characters, 192 bits.
  const token = randomBytes(24).toString('base64');
  const value = JSON.stringify({
    userId,
    createdAt: Date.now(),
    ttlSeconds,
  });
  await cache.sendCommand([
    'SET',
    `session:${token}`,
    value,
    'EX',
    String(ttlSeconds),
  ]);
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  if (token === '') return null;
  const key = `session:${token}`;
  try {
    const text = await cache.sendCommand<string | null>([
      'GET',
      key,
    ]);
    if (typeof text !== 'string') return null;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { userId, createdAt, ttlSeconds } = parsed as Record<
      string,
      unknown
    >;
    if (
      typeof userId !== 'number' ||
      typeof createdAt !== 'number' ||
      typeof ttlSeconds !== 'number'
    )
      return null;
    await cache.sendCommand(['EXPIRE', key, String(ttlSeconds)]);
    return { userId, createdAt };
  } catch {
    return null;
  }
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.sendCommand(['DEL', `session:${token}`]);
}
