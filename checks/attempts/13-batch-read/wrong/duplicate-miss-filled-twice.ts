// wrong: "store each user read from Postgres under user:<id> … once per user" → must fail: fills each missed user once, with a 300-second TTL in the same command, and leaves hits alone
// Fills once per place in the list that missed, not once per user: an id
// asked twice is SET twice.
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
  if (missing.size > 0) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1::int[])',
      [[...missing]],
    );
    const fresh = new Map(rows.map((user) => [user.id, user]));
    // One fill per place in the list that missed.
    await Promise.all(
      ids.flatMap((id, i) => {
        const user = fresh.get(id);
        if (!user || parseUser(raws[i] ?? null)) return [];
        return [
          stores.cache.set(`user:${id}`, JSON.stringify(user), {
            expiration: { type: 'EX', value: TTL_SECONDS },
          }),
        ];
      }),
    );
    for (const user of rows) found.set(user.id, user);
  }
  return ids.map((id) => found.get(id) ?? null);
}
