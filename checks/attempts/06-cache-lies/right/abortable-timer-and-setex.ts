// right: a timer from node:timers/promises, setEx and a query config object
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stores, User } from '../../../../lib/stores.ts';

const NOT_FOUND = JSON.stringify({ absent: true });
const loads = new Map<number, Promise<User | null>>();

async function fast<T>(work: () => Promise<T>): Promise<T | null> {
  const stop = new AbortController();
  try {
    return await Promise.race([
      work(),
      sleep(100, null, { signal: stop.signal }),
    ]);
  } catch {
    return null;
  } finally {
    stop.abort();
  }
}

function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'number' &&
    typeof v.name === 'string' &&
    typeof v.email === 'string'
  );
}

async function fromPostgres(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const note = await fast(() => stores.cache.get(key));
  if (note === NOT_FOUND) return null;
  if (note !== null) {
    try {
      const value: unknown = JSON.parse(note);
      if (isUser(value)) return value;
    } catch {
      // corrupt: read Postgres
    }
  }
  const result = await stores.db.query<User>({
    text: 'SELECT id, name, email FROM users WHERE id = $1',
    values: [id],
  });
  const user = result.rows[0] ?? null;
  const seconds = user
    ? 300 + Math.floor((Math.random() * 2 - 1) * 30)
    : 20;
  stores.cache
    .setEx(key, seconds, user ? JSON.stringify(user) : NOT_FOUND)
    .catch(() => undefined);
  return user;
}

export async function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  let load = loads.get(id);
  if (load === undefined) {
    load = fromPostgres(stores, id);
    loads.set(id, load);
    try {
      return await load;
    } finally {
      loads.delete(id);
    }
  }
  return load;
}
