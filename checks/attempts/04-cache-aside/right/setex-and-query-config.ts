// right: setEx and a query config object
import type { Stores, User } from '../../../../lib/stores.ts';

function toUser(text: string): User | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<User> | null;
    if (
      parsed &&
      typeof parsed.id === 'number' &&
      typeof parsed.name === 'string' &&
      typeof parsed.email === 'string'
    ) {
      return {
        id: parsed.id,
        name: parsed.name,
        email: parsed.email,
      };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  const hit = cached === null ? undefined : toUser(cached);
  if (hit) return hit;

  const result = await stores.db.query<User>({
    text: 'SELECT id, name, email FROM users WHERE id = $1',
    values: [id],
  });
  if (result.rowCount === 0) return null;
  const user = result.rows[0];
  if (!user) return null;
  await stores.cache
    .setEx(key, 300, JSON.stringify(user))
    .catch(() => undefined);
  return user;
}
