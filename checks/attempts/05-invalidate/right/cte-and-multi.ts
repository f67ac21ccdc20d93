// right: an UPDATE inside a CTE, and DEL inside MULTI
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
    `WITH changed AS (
       UPDATE users
          SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1
        RETURNING id, name, email
     )
     SELECT id, name, email FROM changed`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  const [user] = rows;
  if (user === undefined) return null;
  await stores.cache.multi().del(`user:${id}`).exec();
  return user;
}
