// wrong: "Update Postgres first: change only the fields given (none given: nothing changes)" → must fail: updates only the fields given
// The row is read, merged with the changes in TypeScript, and written back whole: two
// round trips, and two concurrent updates of different fields (one the name, one the
// email) each write back the other's old value, so one change is lost.
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export async function updateUser(
  stores: Stores,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const found = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const current = found.rows[0];
  if (!current) return null;
  const next = { ...current, ...changes };
  const { rows } = await stores.db.query<User>(
    `UPDATE users SET name = $2, email = $3 WHERE id = $1
      RETURNING id, name, email`,
    [id, next.name, next.email],
  );
  const user = rows[0];
  if (!user) return null;
  await stores.cache.del(`user:${id}`);
  return user;
}
