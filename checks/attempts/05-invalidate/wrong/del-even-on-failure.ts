// wrong: "If the update fails (another user already has that email), the cache is left alone." → must fail: leaves the cache alone when the update fails
// The DEL sits in a finally, so it runs when the UPDATE throws too.
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
  try {
    const { rows } = await stores.db.query<User>(
      `UPDATE users
        SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1 RETURNING id, name, email`,
      [id, changes.name ?? null, changes.email ?? null],
    );
    return rows[0] ?? null;
  } finally {
    await stores.cache.del(`user:${id}`);
  }
}
