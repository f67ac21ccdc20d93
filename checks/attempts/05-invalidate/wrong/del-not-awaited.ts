// wrong: "Wait for the `DEL`: `updateUser` resolves once Redis has deleted the key, not before." → must fail: resolves only after Redis has deleted the key
// Fires the DEL and returns at once: the caller is told the write
// is done while the old note may still be there.
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
  const user = rows[0] ?? null;
  if (user) void stores.cache.del(`user:${id}`).catch(() => {});
  return user;
}
