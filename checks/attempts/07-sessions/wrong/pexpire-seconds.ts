// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again" → must fail: slides the expiry on every read
// pExpire takes milliseconds: a read leaves a 600-second session with 0.6 seconds to live.
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
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Session & { ttlSeconds: number };
    await cache.pExpire(key, s.ttlSeconds);
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
