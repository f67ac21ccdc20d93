// right: a named prepared statement and SET with the EX expiration
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = 'user:' + String(id);
  const text = await stores.cache.get(key);
  if (text !== null) {
    const user = safeParse(text);
    if (user) return user;
  }
  const { rows } = await stores.db.query<User>({
    name: 'get-user-by-id',
    text: 'SELECT id, name, email FROM users WHERE id = $1',
    values: [id],
  });
  const user = rows.at(0);
  if (user === undefined) return null;
  await Promise.allSettled([
    stores.cache.set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    }),
  ]);
  return user;
}

function safeParse(text: string): User | null {
  try {
    const v = JSON.parse(text) as Partial<User> | null;
    if (!v || typeof v !== 'object') return null;
    const { id, name, email } = v;
    return typeof id === 'number' &&
      typeof name === 'string' &&
      typeof email === 'string'
      ? { id, name, email }
      : null;
  } catch {
    return null;
  }
}
