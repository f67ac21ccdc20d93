// right: a SET clause built from the fields given, and DEL in a Lua script
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

const COLUMNS = ['name', 'email'] as const;

export async function updateUser(
  stores: Stores,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const values: unknown[] = [id];
  const sets: string[] = [];
  for (const column of COLUMNS) {
    const value = changes[column];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  // Nothing to change: still answer with the row, or null.
  const text =
    sets.length === 0
      ? 'SELECT id, name, email FROM users WHERE id = $1'
      : `UPDATE users SET ${sets.join(', ')}
          WHERE id = $1 RETURNING id, name, email`;
  const { rows } = await stores.db.query<User>(text, values);
  const user = rows[0] ?? null;
  if (user && sets.length > 0) {
    await stores.cache.eval("return redis.call('DEL', KEYS[1])", {
      keys: [`user:${id}`],
    });
  }
  return user;
}
