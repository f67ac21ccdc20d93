// wrong: "Hit — the key holds the user as JSON: return it, without asking Postgres anything." → must fail: serves a hit from Redis with one command and no SQL query
// No check title covers it: a check should cache a user whose name (or email) is all digits, "007" or "2024", and compare the hit with the row.
// JSON.parse gets a reviver "in case an id was cached as a string": every all-digit string
// becomes a number, so a user named "007" comes back from a hit as 7, and the hit no
// longer equals the row it was filled from.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

function numbersBack(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value)
    ? Number(value)
    : value;
}

function parse(text: string): User | null {
  try {
    return JSON.parse(text, numbersBack) as User;
  } catch {
    return null;
  }
}

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  if (cached !== null) {
    const user = parse(cached);
    if (user) return user;
  }
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0];
  if (!user) return null;
  await stores.cache
    .set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    })
    .catch(() => {});
  return user;
}
