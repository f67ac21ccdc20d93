// wrong: "A client you check out of the pool (stores.db.connect()) goes back to it (release(), in a finally): misses must never run the pool dry." → must fail: gives every Postgres client it takes back to the pool
// release() follows the query instead of sitting in a finally: a SELECT that fails (a
// statement timeout, a cancelled query) skips it, and after as many failures as the pool
// has connections every later miss waits for a client that never comes back.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

function parse(text: string): User | null {
  try {
    return JSON.parse(text) as User;
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
  const client = await stores.db.connect();
  const { rows } = await client.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  client.release();
  const user = rows[0];
  if (!user) return null;
  await stores.cache
    .set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    })
    .catch(() => {});
  return user;
}
