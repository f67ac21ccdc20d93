// right: a query config object and UNLINK
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
  const result = await stores.db.query<User>({
    text: `UPDATE users
             SET name = COALESCE($2, name),
                 email = COALESCE($3, email)
           WHERE id = $1
           RETURNING id, name, email`,
    values: [id, changes.name ?? null, changes.email ?? null],
  });
  const user = result.rows[0];
  if (!user) return null;
  await stores.cache.unlink(`user:${id}`);
  return user;
}
