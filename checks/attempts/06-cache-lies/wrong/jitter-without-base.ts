// wrong: "A user's key lives about 300 s, plus or minus a random few percent (say ±10 %, so 270–330 s)." → must fail: on a miss, reads Postgres once and fills user:<id> with the JSON and a TTL near 300 s
// Only the ±10 % is computed, not the 300 s it is a share of: the
// TTL is between -30 and 30 s, and Redis refuses most of them.
import type { Stores, User } from '../../../../lib/stores.ts';

const DEADLINE_MS = 100;
const ABSENT = 'absent';
const inFlight = new Map<number, Promise<User | null>>();

/** The value, or undefined when Redis fails or is too slow. */
function withDeadline<T>(
  work: () => Promise<T>,
  ms = DEADLINE_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const answer = Promise.resolve()
    .then(work)
    .catch(() => undefined);
  return Promise.race([answer, late]).finally(() =>
    clearTimeout(timer),
  );
}

function userTtl(): number {
  return Math.round(300 * (Math.random() * 0.2 - 0.1));
}

function parseUser(text: string): User | null {
  try {
    const value = JSON.parse(text) as Partial<User> | null;
    if (
      value &&
      typeof value.id === 'number' &&
      typeof value.name === 'string' &&
      typeof value.email === 'string'
    )
      return { id: value.id, name: value.name, email: value.email };
  } catch {
    // not JSON
  }
  return null;
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

async function load(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await withDeadline(() => stores.cache.get(key));
  if (cached === ABSENT) return null;
  if (typeof cached === 'string') {
    const user = parseUser(cached);
    if (user) return user;
  }

  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;
  const fill = user
    ? stores.cache.set(key, JSON.stringify(user), {
        expiration: { type: 'EX', value: userTtl() },
      })
    : stores.cache.set(key, ABSENT, {
        expiration: { type: 'EX', value: 30 },
      });
  fill.catch(() => {
    // best effort: the next read fills it
  });
  return user;
}
