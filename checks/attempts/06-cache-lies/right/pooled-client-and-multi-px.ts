// right: a pooled client released in finally, the fill as MULTI with PX in milliseconds
import type { Stores, User } from '../../../../lib/stores.ts';

type Lookup =
  { kind: 'user'; user: User } | { kind: 'absent' } | null;

const waiting = new Map<number, Promise<User | null>>();

function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Redis took over ${ms} ms`)),
      ms,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          error instanceof Error ? error : new Error(String(error)),
        );
      },
    );
  });
}

async function lookup(
  stores: Stores,
  key: string,
): Promise<Lookup> {
  let text: string | null;
  try {
    text = await deadline(
      Promise.resolve().then(() => stores.cache.get(key)),
      100,
    );
  } catch {
    return null; // slow or down: as if missing
  }
  if (text === null) return null;
  if (text === '-') return { kind: 'absent' };
  try {
    const user = JSON.parse(text) as User;
    return typeof user.id === 'number'
      ? { kind: 'user', user }
      : null;
  } catch {
    return null;
  }
}

async function resolveUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const found = await lookup(stores, key);
  if (found?.kind === 'user') return found.user;
  if (found?.kind === 'absent') return null;

  const client = await stores.db.connect();
  let user: User | null;
  try {
    const { rows } = await client.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    user = rows[0] ?? null;
  } finally {
    client.release();
  }

  const ms = user
    ? Math.round(300_000 * (0.92 + Math.random() * 0.16))
    : 30_000;
  Promise.resolve()
    .then(() =>
      stores.cache
        .multi()
        .set(key, user ? JSON.stringify(user) : '-', {
          expiration: { type: 'PX', value: ms },
        })
        .exec(),
    )
    .catch(() => {
      // a missing note costs one more miss
    });
  return user;
}

export function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const existing = waiting.get(id);
  if (existing) return existing;
  const started = resolveUser(stores, id);
  waiting.set(id, started);
  void started.then(
    () => waiting.delete(id),
    () => waiting.delete(id),
  );
  return started;
}
