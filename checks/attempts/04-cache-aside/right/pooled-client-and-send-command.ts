// right: a pooled client released in finally, and raw SET ... EX through sendCommand
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.sendCommand<string | null>([
    'GET',
    key,
  ]);
  if (typeof cached === 'string') {
    try {
      const user = JSON.parse(cached) as User;
      if (typeof user?.id === 'number') return user;
    } catch {
      // a corrupt note: read Postgres and overwrite it
    }
  }

  const client = await stores.db.connect();
  let user: User | null;
  try {
    const { rows } = await client.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1::int',
      [id],
    );
    user = rows[0] ?? null;
  } finally {
    client.release();
  }

  if (user !== null) {
    try {
      await stores.cache.sendCommand([
        'SET',
        key,
        JSON.stringify(user),
        'EX',
        '300',
      ]);
    } catch (error) {
      console.warn('cache fill failed', error);
    }
  }
  return user;
}
