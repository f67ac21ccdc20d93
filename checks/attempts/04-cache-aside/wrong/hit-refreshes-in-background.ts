// wrong: "Hit — the key holds the user as JSON: return it, without asking Postgres anything." → must fail: serves a hit from Redis with one command and no SQL query
// A hit answers from Redis at once, then refreshes the note from Postgres "in the
// background, so it never goes stale": the caller does not wait, but every hit still costs
// Postgres a query, which is what the cache was there to spare it.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

function parse(text: string): User | null {
  try {
    return JSON.parse(text) as User;
  } catch {
    return null;
  }
}

async function readAndFill(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;
  if (user) {
    await stores.cache
      .set(`user:${id}`, JSON.stringify(user), {
        expiration: { type: 'EX', value: TTL_SECONDS },
      })
      .catch(() => {
        // a failed fill only costs the next read a miss
      });
  }
  return user;
}

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const cached = await stores.cache.get(`user:${id}`);
  const user = cached === null ? null : parse(cached);
  if (user) {
    readAndFill(stores, id).catch(() => {});
    return user;
  }
  return readAndFill(stores, id);
}
