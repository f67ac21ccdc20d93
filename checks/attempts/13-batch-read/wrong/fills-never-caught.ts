// wrong: "An error from either store may simply reject" → must fail: a fill Redis refuses never escapes the call
// Sends the fills without awaiting them and without a catch: when Redis
// refuses one, the rejection reaches no one and would end the process.
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
    // Not awaited: the page need not wait for the notes to go up.
    for (const user of rows) {
      void stores.cache.set(
        `user:${user.id}`,
        JSON.stringify(user),
        {
          expiration: { type: 'EX', value: TTL_SECONDS },
        },
      );
    }
    for (const user of rows) found.set(user.id, user);
  }
  return ids.map((id) => found.get(id) ?? null);
}
