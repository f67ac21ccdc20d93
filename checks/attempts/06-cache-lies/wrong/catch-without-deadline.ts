// wrong: "Give every Redis call a deadline of about 100 ms. If Redis fails, or has not answered in time, read Postgres" → must fail: answers from Postgres within a second when Redis is slow
// Catches Redis errors, but a Redis that just stays silent is
// waited for as long as it takes.
import type { Stores, User } from '../../../../lib/stores.ts';

const ABSENT = 'absent';
const inFlight = new Map<number, Promise<User | null>>();

function userTtl(): number {
  return Math.round(300 * (0.9 + Math.random() * 0.2));
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
  let cached: string | null | undefined;
  try {
    cached = await stores.cache.get(key);
  } catch {
    cached = undefined; // Redis is down: read Postgres
  }
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
