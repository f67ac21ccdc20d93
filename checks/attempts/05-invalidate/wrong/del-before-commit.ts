// wrong: "The `DEL` comes **after** the `UPDATE` has committed (never before it, and never inside a transaction that has not committed yet: a read in between would cache the old row again)." → must fail: deletes user:<id> only once the new row is committed
// The DEL runs inside the transaction, before COMMIT: until the
// commit, every other reader still sees the old row and can cache it.
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
  const client = await stores.db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<User>(
      `UPDATE users
        SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1 RETURNING id, name, email`,
      [id, changes.name ?? null, changes.email ?? null],
    );
    const user = rows[0] ?? null;
    if (user) await stores.cache.del(`user:${id}`);
    await client.query('COMMIT');
    return user;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
