// wrong: "`destroySession(cache, token)` logs out: the session is gone." → must fail: destroySession logs out: the key is gone and the token reads as null
// getSession slides the expiry by writing the value back with SET … EX. A logout that lands between
// its GET and its SET is undone: the SET recreates the key it just deleted, with a fresh TTL. A learner
// writes it because "SET with EX" is the one way to give a key its TTL they have seen so far.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

function decode(text: string): Stored | null {
  try {
    const v = JSON.parse(text) as Partial<Stored> | null;
    if (
      typeof v?.userId !== 'number' ||
      typeof v.createdAt !== 'number' ||
      typeof v.ttlSeconds !== 'number'
    )
      return null;
    return v as Stored;
  } catch {
    return null;
  }
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
  const text = await cache.get(key);
  if (text === null) return null;
  const stored = decode(text);
  if (stored === null) return null;
  // Write it back with a full TTL: that is the slide.
  await cache.set(key, text, {
    expiration: { type: 'EX', value: stored.ttlSeconds },
  });
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
