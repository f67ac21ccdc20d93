// Exercise 07 — Sessions with a sliding expiry. Reference solution.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../lib/stores.ts';

/**
 * What a session remembers: who logged in, and when (milliseconds
 * since the epoch, `Date.now()`).
 */
export interface Session {
  userId: number;
  createdAt: number;
}

/**
 * 32 random bytes: 256 bits, written as 43 base64url characters.
 */
const TOKEN_BYTES = 32;

/**
 * What Redis holds under `session:<token>`: the session, and the
 * lifetime each read renews.
 */
interface StoredSession extends Session {
  ttlSeconds: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  // The token is the key to the account: it comes from the
  // operating system's CSPRNG.
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const stored: StoredSession = {
    userId,
    createdAt: Date.now(),
    ttlSeconds,
  };
  await cache.set(`session:${token}`, JSON.stringify(stored), {
    expiration: { type: 'EX', value: ttlSeconds },
  });
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const key = `session:${token}`;
  const stored = parseSession(await cache.get(key));
  if (stored === null) return null;
  // Sliding expiry: every read gives the session its full lifetime
  // again. The lifetime lives in the value because the caller of
  // getSession does not know it.
  await cache.expire(key, stored.ttlSeconds);
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}

/**
 * The session stored under a key, or null: no key, or a value that is
 * no whole session (it does not parse, or a field is missing).
 */
function parseSession(text: string | null): StoredSession | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredSession>;
    if (
      typeof value.userId === 'number' &&
      typeof value.createdAt === 'number' &&
      typeof value.ttlSeconds === 'number'
    )
      return {
        userId: value.userId,
        createdAt: value.createdAt,
        ttlSeconds: value.ttlSeconds,
      };
  } catch {
    // Not JSON at all, or JSON null (reading a field of null
    // throws): no session either.
  }
  return null;
}
