// wrong: "50 concurrent calls for the same id on a cold key send one SQL query; the other 49 callers wait for its answer." → must fail: sends one SQL query for 50 concurrent misses on one id
// The Map is consulted before the GET but the in-flight entry is set only after it, when
// the miss is known: all 50 callers pass the empty Map while their GETs are out, and each
// then starts its own Postgres read.
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
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

async function loadAndFill(
  stores: Stores,
  id: number,
  key: string,
): Promise<User | null> {
  const user = await readPostgres(stores, id);
  fill(stores, key, user);
  return user;
}

export async function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const pending = inFlight.get(id);
  if (pending) return pending;
  const key = `user:${id}`;
  const cached = await lookUp(stores, key);
  if (cached?.kind === 'user') return cached.user;
  if (cached?.kind === 'absent') return null;
  // only a miss needs Postgres: share that read
  const read = loadAndFill(stores, id, key).finally(() =>
    inFlight.delete(id),
  );
  inFlight.set(id, read);
  return read;
}
