// right: the token's shape checked before any round trip, SET … NX EX, and EXPIRE … XX to slide
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

// 32 random bytes in base64url: exactly 43 characters of this alphabet.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  const value = JSON.stringify({
    u: userId,
    t: Date.now(),
    ttl: ttlSeconds,
  });
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    // NX: a token already in use (never, in practice) is drawn again
    // rather than overwriting someone else's session.
    const reply = await cache.set(`session:${token}`, value, {
      condition: 'NX',
      expiration: { type: 'EX', value: ttlSeconds },
    });
    if (reply === 'OK') return token;
  }
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token))
    return null;
  const key = `session:${token}`;
  try {
    const text = await cache.get(key);
    if (text === null) return null;
    const v = JSON.parse(text) as Record<string, unknown> | null;
    if (
      typeof v !== 'object' ||
      v === null ||
      !Number.isSafeInteger(v.u) ||
      !Number.isFinite(v.t) ||
      !Number.isSafeInteger(v.ttl)
    )
      return null;
    // XX: renew only a key that still has its expiry; one deleted since
    // the GET stays deleted.
    await cache.expire(key, v.ttl as number, 'XX');
    return { userId: v.u as number, createdAt: v.t as number };
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
