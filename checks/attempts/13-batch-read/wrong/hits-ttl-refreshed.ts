// wrong: "A hit is left as it is (no new SET, its TTL untouched)." → must fail: fills each missed user once, with a 300-second TTL in the same command, and leaves hits alone
// Gives every hit its 300 seconds back with EXPIRE: no new SET, but the
// hit's TTL changes.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

function parseUser(raw: string | null): User | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as User;
  } catch {
    return null;
  }
}

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const raws = await stores.cache.mGet(
    ids.map((id) => `user:${id}`),
  );
  const found = new Map<number, User>();
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const user = parseUser(raws[i] ?? null);
    if (user) found.set(id, user);
    else missing.add(id);
  });
  for (const id of found.keys()) missing.delete(id);
  // A note that was just read is worth keeping: give it its 300 seconds again.
  await Promise.all(
    [...found.keys()].map((id) =>
      stores.cache.expire(`user:${id}`, TTL_SECONDS),
    ),
  );
  if (missing.size > 0) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1::int[])',
      [[...missing]],
    );
    await Promise.all(
      rows.map((user) =>
        stores.cache.set(`user:${user.id}`, JSON.stringify(user), {
          expiration: { type: 'EX', value: TTL_SECONDS },
        }),
      ),
    );
    for (const user of rows) found.set(user.id, user);
  }
  return ids.map((id) => found.get(id) ?? null);
}
