// wrong: "the user ({ id, name, email }), or null for an id Postgres does not know" → must fail: answers null for an unknown id and caches nothing for it
// Remembers in a module Set the ids Postgres did not know and never asks
// again: a user added since still answers null.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

// Ids Postgres did not know: not cached in Redis, only remembered here so
// the next page does not ask again.
const unknown = new Set<number>();

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
  for (const id of unknown) missing.delete(id);
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
    for (const id of missing) if (!found.has(id)) unknown.add(id);
  }
  return ids.map((id) => found.get(id) ?? null);
}
