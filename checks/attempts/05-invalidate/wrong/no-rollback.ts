// wrong: "If the update fails (another user already has that email), the error reaches the caller, the cache is left alone, and the next update works as before (a transaction you opened is rolled back, and its client released)." → must fail: keeps working after a failed update
// A transaction with no ROLLBACK: a taken email leaves the client
// in an aborted transaction, and it goes back to the pool that way.
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
    await client.query('COMMIT');
    const user = rows[0] ?? null;
    if (user) await stores.cache.del(`user:${id}`);
    return user;
  } finally {
    client.release();
  }
}
