// right: GET through sendCommand with a timer, the fill as one Lua script
import type { Stores, User } from '../../../../lib/stores.ts';

const FILL = `
if ARGV[1] == '' then
  return redis.call('SET', KEYS[1], 'none', 'EX', 30)
end
return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])`;

const shared = new Map<number, Promise<User | null>>();

function timed(
  stores: Stores,
  key: string,
): Promise<string | null | 'failed'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('failed'), 100);
    stores.cache
      .sendCommand<string | null>(['GET', key])
      .then(
        (reply) => resolve(reply),
        () => resolve('failed'),
      )
      .finally(() => clearTimeout(timer));
  });
}

async function read(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const reply = await timed(stores, key);
  if (reply === 'none') return null;
  if (reply !== null && reply !== 'failed') {
    try {
      const user = JSON.parse(reply) as User | null;
      if (user && typeof user === 'object' && 'email' in user)
        return user;
    } catch {
      // corrupt: a miss
    }
  }
  const { rows } = await stores.db.query<User>(
    `WITH found AS (SELECT id, name, email FROM users WHERE id = $1)
     SELECT * FROM found`,
    [id],
  );
  const user = rows[0] ?? null;
  const ttl = 270 + Math.floor(Math.random() * 61);
  stores.cache
    .eval(FILL, {
      keys: [key],
      arguments: [user ? JSON.stringify(user) : '', String(ttl)],
    })
    .catch(() => undefined);
  return user;
}

export function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const current = shared.get(id);
  if (current !== undefined) return current;
  const next = read(stores, id);
  shared.set(id, next);
  next.then(
    () => shared.delete(id),
    () => shared.delete(id),
  );
  return next;
}
