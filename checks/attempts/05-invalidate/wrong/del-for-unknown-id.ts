// wrong: "The next read sees the fresh data; an unknown id gives null." → must fail: returns null for an unknown id and writes nothing
// The key is deleted whatever the UPDATE found, "to be safe": an unknown id still costs a
// DEL, and a write that changed nothing still peels a note off the monitor.
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
    [id, changes.name ?? null, changes.email ?? null],
  );
  await stores.cache.del(`user:${id}`);
  return rows[0] ?? null;
}
