// wrong: "**Then delete the key** `user:<id>` from Redis, so the next read misses and fetches the fresh row." → must fail: updates Postgres, then deletes user:<id>, and returns the new row
// Writes the new row into the note instead of deleting it: two
// writers can leave the older row behind.
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
    await stores.cache.set(`user:${id}`, JSON.stringify(user), {
      expiration: { type: 'EX', value: 300 },
    });
  }
  return user;
}
