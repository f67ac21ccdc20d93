// Exercise 13 — Read a hundred users in one trip. Reference
// solution.
import type { Stores, User } from '../../lib/stores.ts';

const USER_TTL_SECONDS = 300;

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const keyOf = (id: number) => `user:${id}`;

  const notes = await stores.cache.mGet(ids.map(keyOf));
  const found = new Map<number, User>();
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const user = parseUser(notes[i] ?? null);
    if (user !== null) found.set(id, user);
    else missing.add(id);
  });

  if (missing.size > 0) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1)',
      [[...missing]],
    );
    // Every SET is issued before any reply is awaited: node-redis
    // writes commands issued in the same tick down its one
    // connection together, so fifty fills cost one round trip.
    await Promise.all(
      rows.map((user) => {
        found.set(user.id, user);
        return stores.cache.set(
          keyOf(user.id),
          JSON.stringify(user),
          {
            expiration: { type: 'EX', value: USER_TTL_SECONDS },
          },
        );
      }),
    );
  }
  return ids.map((id) => found.get(id) ?? null);
}

function parseUser(text: string | null): User | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as User;
  } catch {
    // Not valid JSON: a miss, and the fill repairs the note.
    return null;
  }
}
