// Exercise 07 — Sessions with a sliding expiry.
// Task: README.md beside this file. Lesson:
// docs/lessons/07-beyond-caching.md (Sessions). Check: npm test 07
import type { Cache } from '../../lib/stores.ts';

/**
 * What a session remembers: who logged in, and when (milliseconds
 * since the epoch, `Date.now()`).
 */
export interface Session {
  userId: number;
  createdAt: number;
}

export async function createSession(
  cache: Cache,
  userId: number,
  ttlSeconds: number,
): Promise<string> {
  // TODO: draw an unguessable token (at least 128 bits from
  // node:crypto, never Math.random()). TODO: store
  // `session:<token>` as JSON with a TTL of ttlSeconds, in the same
  // command as the value, keeping what a later read needs to slide
  // the expiry; return the token.
  throw new Error(
    'TODO: createSession is not written yet (exercise 07)',
  );
}

export async function getSession(
  cache: Cache,
  token: string,
): Promise<Session | null> {
  // TODO: read `session:<token>`; missing, expired, tampered or
  // unreadable means null (never throw). TODO: slide the expiry:
  // give the session its full ttlSeconds again on every successful
  // read.
  throw new Error(
    'TODO: getSession is not written yet (exercise 07)',
  );
}

export async function destroySession(
  cache: Cache,
  token: string,
): Promise<void> {
  // TODO: delete `session:<token>` (logging out twice is not an
  // error).
  throw new Error(
    'TODO: destroySession is not written yet (exercise 07)',
  );
}
