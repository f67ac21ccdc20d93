// right: CASE WHEN with typed parameters, and del() given an array
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export async function updateUser(
  stores: Stores,
  id: number,
  { name, email }: UserChanges,
): Promise<User | null> {
  const result = await stores.db.query<User>(
    `UPDATE users
        SET name  = CASE WHEN $2::boolean THEN $3::text ELSE name END,
            email = CASE WHEN $4::boolean THEN $5::text ELSE email END
      WHERE id = $1::int
      RETURNING id, name, email`,
    [
      id,
      name !== undefined,
      name ?? null,
      email !== undefined,
      email ?? null,
    ],
  );
  if (result.rowCount !== 1) return null;
  const user = result.rows[0] ?? null;
  await stores.cache.del([`user:${id}`]);
  return user;
}
