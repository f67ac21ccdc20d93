// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again" → must fail: slides the expiry on every read
// Every request looks its session up, so the answer is kept for a second in this process and repeated
// without asking Redis. Those repeated reads send no EXPIRE: a session read only from the memo is not
// slid, and one that expired (or was deleted by another process) in that second is still returned.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

interface Stored extends Session {
  ttlSeconds: number;
}

const MEMO_MS = 1000;
const memo = new Map<string, { session: Session; until: number }>();

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
  const hit = memo.get(token);
  if (hit !== undefined && hit.until > Date.now())
    return hit.session;
  const key = `session:${token}`;
  const text = await cache.get(key);
  if (text === null) return null;
  const stored = decode(text);
  if (stored === null) return null;
  await cache.expire(key, stored.ttlSeconds);
  const session = {
    userId: stored.userId,
    createdAt: stored.createdAt,
  };
  memo.set(token, { session, until: Date.now() + MEMO_MS });
  return session;
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  memo.delete(token);
  await cache.del(`session:${token}`);
}
