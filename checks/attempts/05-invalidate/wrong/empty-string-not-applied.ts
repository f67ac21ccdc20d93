// wrong: "Update Postgres first: change only the fields given (none given: nothing changes)" → must fail: updates only the fields given
// No check title gives an empty string: a check should pass { name: '' } (a text column that allows it) and see the name stored as ''.
// `changes.name || null` treats an empty string as "not given": updateUser(id, { name: '' })
// keeps the old name and still reports success, the classic falsy-value slip.
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
  const { rows } = await stores.db.query<User>(
    `UPDATE users
        SET name = COALESCE($2, name), email = COALESCE($3, email)
      WHERE id = $1
      RETURNING id, name, email`,
    [id, changes.name || null, changes.email || null],
  );
  const user = rows[0];
  if (!user) return null;
  await stores.cache.del(`user:${id}`);
  return user;
}
