// wrong: "A user that does not exist is null (and nothing is cached for it)." → must fail: rejects when the Postgres read fails instead of answering null
// No check title covers a failing Postgres: a check should make the SELECT fail (a pool that was ended, a statement_timeout) on a miss and see getUser reject, not resolve null.
// The Postgres read sits in a try/catch that answers null, "like a miss on the sticky
// note": with the filing cabinet unreachable, every user not on the monitor is reported
// as not existing, and the caller cannot tell.
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
  let user: User | undefined;
  try {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    user = rows[0];
  } catch {
    return null;
  }
  if (!user) return null;
  await stores.cache
    .set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    })
    .catch(() => {});
  return user;
}
