// wrong: "The DEL comes after the UPDATE has committed (never before it, and never inside a transaction that has not committed yet: a read in between would cache the old row again)." → must fail: deletes user:<id> only once the new row is committed
// The COMMIT is sent but not awaited before the DEL: pg queues it on the client, Redis
// deletes the key at once, and a read that lands before the COMMIT is done still sees the
// old row in Postgres and caches it again.
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
  let user: User | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<User>(
      `UPDATE users
          SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1
        RETURNING id, name, email`,
      [id, changes.name ?? null, changes.email ?? null],
    );
    user = rows[0];
    const committed = client.query('COMMIT');
    if (user) await stores.cache.del(`user:${id}`);
    await committed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return user ?? null;
}
