// wrong: "Wait for the DEL: updateUser resolves once Redis has deleted the key, not before." → must fail: resolves only after Redis has deleted the key
// The DEL is awaited, but its failure is caught and ignored "because Postgres already has
// the truth": when Redis refuses the DEL, updateUser resolves as if the note were gone,
// and the old row stays on the monitor for up to 300 s with nobody told.
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
  const user = rows[0];
  if (!user) return null;
  try {
    await stores.cache.del(`user:${id}`);
  } catch {
    // the TTL will clean it up
  }
  return user;
}
