// wrong: "or `null` when there is no user with that id" → must fail: returns null for an unknown id and writes nothing
// rows[0] of an empty result is undefined, not null.
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
      WHERE id = $1 RETURNING id, name, email`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  await stores.cache.del(`user:${id}`);
  return rows[0] as User;
}
