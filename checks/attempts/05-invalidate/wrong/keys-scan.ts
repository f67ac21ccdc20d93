// wrong: "Other keys survive: no `FLUSHDB`, no `KEYS` scan — delete the one key you changed." → must fail: deletes only that key: no FLUSHDB, no KEYS scan
// Looks the key up with KEYS before deleting it: only the one key
// goes, but KEYS walks the whole database.
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
  if (user) {
    const stale = await stores.cache.keys(`user:${id}`);
    if (stale.length > 0) await stores.cache.del(stale);
  }
  return user;
}
