// Exercise 05 — Invalidate on write. Reference solution.
import type { Stores, User } from '../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export async function updateUser(
  stores: Stores,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  // 1. The filing cabinet first: if this fails (a taken email,
  // say), the cache is left alone.
  const { rows } = await stores.db.query<User>(
    `UPDATE users
      SET name = COALESCE($2, name), email = COALESCE($3, email)
      WHERE id = $1 RETURNING id, name, email`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  const user = rows[0] ?? null;

  // 2. Then peel off the one sticky note that is now wrong.
  // Deleting before the UPDATE would let a concurrent read put the
  // old row back into the cache in between.
  if (user) await stores.cache.del(`user:${id}`);
  return user;
}
