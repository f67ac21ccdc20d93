// wrong: "The `DEL` comes **after** the `UPDATE` has committed (never before it ...: a read in between would cache the old row again)." → must fail: deletes user:<id> only once the new row is committed
// Clears the note first "so nobody reads it while we write".
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
  await stores.cache.del(`user:${id}`);
  const { rows } = await stores.db.query<User>(
    `UPDATE users
      SET name = COALESCE($2, name), email = COALESCE($3, email)
      WHERE id = $1 RETURNING id, name, email`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  return rows[0] ?? null;
}
