// wrong: "Then delete the key user:<id> from Redis, so the next read misses and fetches the fresh row." → must fail: makes the next read see the fresh data
// No check title covers two writes in a row: a check should update, read (which fills the note again), update again within a second, and read the second change.
// A module-level Map remembers when each key was last deleted and skips a DEL within a
// second "to spare Redis a burst of writes": the second of two quick updates leaves the
// note the read in between put back, and the next read answers the first change.
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

const DEBOUNCE_MS = 1000;
const lastDeleted = new Map<number, number>();

export async function updateUser(
  stores: Stores,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const { rows } = await stores.db.query<User>(
    `UPDATE users
        SET name = COALESCE($2, name), email = COALESCE($3, email)
      WHERE id = $1
      RETURNING id, name, email`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  const user = rows[0];
  if (!user) return null;
  const now = Date.now();
  if (now - (lastDeleted.get(id) ?? 0) >= DEBOUNCE_MS) {
    await stores.cache.del(`user:${id}`);
    lastDeleted.set(id, now);
  }
  return user;
}
