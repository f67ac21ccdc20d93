// right: the fill as a Lua script with PX 300000, the read through a json_build_object row
import type { Stores, User } from '../../../../lib/stores.ts';

const FILL = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const raw = await stores.cache.get(key);
  if (raw !== null) {
    try {
      const value = JSON.parse(raw) as User | null;
      if (value !== null && typeof value === 'object') return value;
    } catch {
      // a miss
    }
  }

  const { rows } = await stores.db.query<{ u: User }>(
    `SELECT json_build_object('id', id, 'name', name, 'email', email) AS u
       FROM users WHERE id = $1`,
    [id],
  );
  const user = rows[0]?.u ?? null;
  if (!user) return null;
  stores.cache
    .eval(FILL, {
      keys: [key],
      arguments: [JSON.stringify(user), String(300 * 1000)],
    })
    .catch(() => {
      // the next read misses again; no harm done
    });
  return user;
}
