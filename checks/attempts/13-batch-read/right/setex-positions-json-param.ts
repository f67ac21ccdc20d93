// right: SETEX fills under Promise.all, the misses passed as one JSON parameter, answers written into their places
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

function asUser(text: string | null | undefined): User | undefined {
  if (text == null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<User> | null;
    return value && typeof value.id === 'number'
      ? (value as User)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  const answers: (User | null)[] = ids.map(() => null);
  if (answers.length === 0) return answers;

  const notes = await stores.cache.MGET(
    ids.map((id) => `user:${id}`),
  );
  // Where each missed id stands in the list, every place it stands.
  const places = new Map<number, number[]>();
  notes.forEach((note, i) => {
    const user = asUser(note);
    if (user) answers[i] = user;
    else places.set(ids[i]!, [...(places.get(ids[i]!) ?? []), i]);
  });
  if (places.size === 0) return answers;

  const { rows } = await stores.db.query<User>(
    `SELECT id, name, email FROM users
      WHERE id IN (SELECT value::int FROM json_array_elements_text($1::json))`,
    [JSON.stringify([...places.keys()])],
  );
  for (const user of rows) {
    for (const i of places.get(user.id) ?? []) answers[i] = user;
  }
  await Promise.all(
    rows.map((user) =>
      stores.cache.setEx(
        `user:${user.id}`,
        TTL_SECONDS,
        JSON.stringify(user),
      ),
    ),
  );
  return answers;
}
