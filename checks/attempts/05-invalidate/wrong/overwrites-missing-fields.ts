// wrong: "change only the fields given" → must fail: updates only the fields given
// SET name = $2, email = $3: a field not given is sent as NULL.
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
    `UPDATE users SET name = $2, email = $3
      WHERE id = $1 RETURNING id, name, email`,
    [id, changes.name, changes.email],
  );
  const user = rows[0] ?? null;
  if (user) await stores.cache.del(`user:${id}`);
  return user;
}
