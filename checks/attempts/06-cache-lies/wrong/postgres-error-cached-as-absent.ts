// wrong: "For an id Postgres does not know, store an "absent" marker under user:<id> … with a TTL of at most 60 s" → must fail: rejects when the Postgres read fails, and marks nothing absent
// No check title covers a failing Postgres: a check should make one SELECT fail on a miss and see no absent marker written (and the call reject, or the next call read Postgres again).
// A failed SELECT is caught and read as "no such user": the caller gets null, and the
// absent marker is written, so a user who exists is reported missing for 30 s after one
// Postgres hiccup.
import type { Stores, User } from '../../../../lib/stores.ts';

const DEADLINE_MS = 100;
const ABSENT = '"absent"';
const inFlight = new Map<number, Promise<User | null>>();

/** Rejects if the work has not settled within DEADLINE_MS. */
function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('Redis is too slow')),
        DEADLINE_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function jitteredTtl(): number {
  return Math.round(300 * (0.9 + Math.random() * 0.2));
}

type Cached =
  { kind: 'user'; user: User } | { kind: 'absent' } | undefined;

async function lookUp(
  stores: Stores,
  key: string,
): Promise<Cached> {
  let text: string | null;
  try {
    text = await withDeadline(stores.cache.get(key));
  } catch {
    return undefined; // slow or down: read Postgres
  }
  if (text === null) return undefined;
  if (text === ABSENT) return { kind: 'absent' };
  try {
    return { kind: 'user', user: JSON.parse(text) as User };
  } catch {
    return undefined;
  }
}

function fill(
  stores: Stores,
  key: string,
  user: User | null,
): void {
  const write = user
    ? stores.cache.set(key, JSON.stringify(user), {
        expiration: { type: 'EX', value: jitteredTtl() },
      })
    : stores.cache.set(key, ABSENT, {
        expiration: { type: 'EX', value: 30 },
      });
  write.catch(() => {
    // best effort: the next miss fills it
  });
}

async function readPostgres(
  stores: Stores,
  id: number,
): Promise<User | null> {
  try {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  } catch {
    return null; // nothing we can read is nothing to show
  }
}

async function load(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await lookUp(stores, key);
  if (cached?.kind === 'user') return cached.user;
  if (cached?.kind === 'absent') return null;
  const user = await readPostgres(stores, id);
  fill(stores, key, user);
  return user;
}

export function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const pending = inFlight.get(id);
  if (pending) return pending;
  const read = load(stores, id).finally(() => inFlight.delete(id));
  inFlight.set(id, read);
  return read;
}
