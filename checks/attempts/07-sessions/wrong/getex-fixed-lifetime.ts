// wrong: "Every successful `getSession` gives the session its full `ttlSeconds` again (…) keep it in the stored JSON" → must fail: slides the expiry on every read
// GETEX with the lesson's 30 minutes: one command, but every read gives 1800 s, not the session's own ttlSeconds.
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../../../lib/stores.ts';

export interface Session {
  userId: number;
  createdAt: number;
}

const SESSION_SECONDS = 1800;

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
  const raw = await cache.getEx(`session:${token}`, {
    type: 'EX',
    value: SESSION_SECONDS,
  });
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
