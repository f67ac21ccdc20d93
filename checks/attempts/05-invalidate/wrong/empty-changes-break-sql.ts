// wrong: "change only the fields given (none given: nothing changes) and return the updated `{ id, name, email }`" → must fail: changes nothing when no field is given, and returns the row
// Builds SET from the fields given: with no field at all, the
// statement reads "SET  WHERE" and Postgres rejects it.
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
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  const { rows } = await stores.db.query<User>(
    `UPDATE users SET ${sets.join(', ')}
      WHERE id = $1 RETURNING id, name, email`,
    values,
  );
  const user = rows[0] ?? null;
  if (user) await stores.cache.del(`user:${id}`);
  return user;
}
