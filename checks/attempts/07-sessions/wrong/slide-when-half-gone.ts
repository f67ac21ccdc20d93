// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again" → must fail: slides the expiry on every read
// A write on every read looked wasteful, so the read asks for the TTL too and renews it only once
// less than half of the lifetime is left (a trick some session stores use). A session read now and
// then is renewed late or not at all: its end is not "ttlSeconds after the last use".
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
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
  const [text, msLeft] = await cache
    .multi()
    .get(key)
    .pTTL(key)
    .exec();
  if (typeof text !== 'string') return null;
  let stored: Partial<Stored> | null;
  try {
    stored = JSON.parse(text) as Partial<Stored> | null;
  } catch {
    return null;
  }
  if (
    typeof stored?.userId !== 'number' ||
    typeof stored.createdAt !== 'number' ||
    typeof stored.ttlSeconds !== 'number'
  )
    return null;
  if (Number(msLeft) < (stored.ttlSeconds * 1000) / 2)
    await cache.expire(key, stored.ttlSeconds);
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  await cache.del(`session:${token}`);
}
