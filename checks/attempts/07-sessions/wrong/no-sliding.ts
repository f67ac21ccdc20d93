// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again" → must fail: slides the expiry on every read
// The TTL is set once at login and never renewed: sessions end ttlSeconds after login, used or not.
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
    JSON.stringify({ userId, createdAt: Date.now() }),
    { expiration: { type: 'EX', value: ttlSeconds } },
  );
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  const raw = await cache.get(`session:${token}`);
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Session;
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
