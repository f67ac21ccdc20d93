// wrong: "the empty string, something that is not a token at all (…): `getSession` returns `null` and never throws" → must fail: returns null for tampered, empty or foreign tokens, and for a value that does not parse
// The format check is a good idea, but a malformed token should read as no session, not as an exception.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function keyOf(token: string): string {
  if (!TOKEN.test(token)) throw new TypeError('malformed token');
  return `session:${token}`;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await cache.set(
    keyOf(token),
    JSON.stringify({ userId, createdAt: Date.now(), ttlSeconds }),
    { expiration: { type: 'EX', value: ttlSeconds } },
  );
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = keyOf(token);
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
  await cache.del(keyOf(token));
}
