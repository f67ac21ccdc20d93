// wrong: "Miss — … store it in Redis as JSON with a TTL of 300 seconds, set in the same command as the value, and return it." → must fail: on a miss, reads Postgres once and fills user:<id> with the user as JSON
// The note carries a cachedAt timestamp "to see how old it is", and a hit returns the
// parsed note whole: the value in Redis is not the user's JSON, and every hit hands the
// caller a field no User has.
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

type Note = User & { cachedAt: number };

function parse(text: string): Note | null {
  try {
    return JSON.parse(text) as Note;
  } catch {
    return null;
  }
}

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  if (cached !== null) {
    const note = parse(cached);
    if (note) return note;
  }
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0];
  if (!user) return null;
  const note: Note = { ...user, cachedAt: Date.now() };
  await stores.cache
    .set(key, JSON.stringify(note), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    })
    .catch(() => {});
  return user;
}
