// right: a CTE for the read and SET EX inside MULTI for the fill
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const note = await stores.cache.get(key);
  if (note != null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(note);
    } catch {
      parsed = undefined;
    }
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'id' in parsed &&
      'name' in parsed &&
      'email' in parsed
    ) {
      return parsed as User;
    }
  }

  const { rows } = await stores.db.query<User>(
    `WITH wanted AS (SELECT $1::int AS id)
     SELECT u.id, u.name, u.email
       FROM users u JOIN wanted w ON w.id = u.id`,
    [id],
  );
  const [user] = rows;
  if (user === undefined) return null;
  try {
    await stores.cache
      .multi()
      .set(key, JSON.stringify(user), {
        expiration: { type: 'EX', value: 300 },
      })
      .exec();
  } catch {
    // the answer stands without a note
  }
  return user;
}
