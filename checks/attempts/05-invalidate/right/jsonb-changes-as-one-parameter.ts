// right: the changes sent as one jsonb parameter, tested with the ? operator, and rowCount
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
  // Only the two known fields travel; a key absent from the object keeps its column
  // (JSON.stringify leaves out a field set to undefined).
  const given = JSON.stringify({
    name: changes.name,
    email: changes.email,
  });
  const result = await stores.db.query<User>({
    text: `UPDATE users
              SET name  = CASE WHEN $2::jsonb ? 'name'
                               THEN $2::jsonb ->> 'name' ELSE name END,
                  email = CASE WHEN $2::jsonb ? 'email'
                               THEN $2::jsonb ->> 'email' ELSE email END
            WHERE id = $1
        RETURNING id, name, email`,
    values: [id, given],
  });
  if (result.rowCount !== 1) return null;
  const user = result.rows[0]!;
  await stores.cache.del(`user:${id}`);
  return user;
}
