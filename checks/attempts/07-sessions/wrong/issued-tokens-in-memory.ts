// wrong: "`getSession(cache, token)` returns `{ userId, createdAt }` for a live session" → must fail: reads and slides, in another process, a session this one created, and sees its logout there
// To answer a forged token without a round trip, the process keeps a Set of the tokens it issued and
// refuses any other. A session created by another process (a second server, or before a restart) is
// live in Redis but reads as null here: its user is logged out at random.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

const issued = new Set<string>();

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
  issued.add(token);
  return token;
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  if (!issued.has(token)) return null;
  const key = `session:${token}`;
  const text = await cache.get(key);
  if (text === null) return null;
  const stored = decode(text);
  if (stored === null) return null;
  await cache.expire(key, stored.ttlSeconds);
  return { userId: stored.userId, createdAt: stored.createdAt };
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  issued.delete(token);
  await cache.del(`session:${token}`);
}
