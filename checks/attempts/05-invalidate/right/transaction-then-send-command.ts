// right: BEGIN/COMMIT on a pooled client, then DEL through sendCommand
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
  let user: User | null;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<User>(
      `UPDATE users
          SET name = COALESCE($2::text, name),
              email = COALESCE($3::text, email)
        WHERE id = $1 RETURNING id, name, email`,
      [id, changes.name ?? null, changes.email ?? null],
    );
    await client.query('COMMIT');
    user = rows[0] ?? null;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (user !== null) {
    await stores.cache.sendCommand(['DEL', `user:${id}`]);
  }
  return user;
}
