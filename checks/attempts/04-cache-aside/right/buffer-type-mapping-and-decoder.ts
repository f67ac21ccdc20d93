// right: GET through withTypeMapping returning a Buffer, decoded with a fatal TextDecoder; the row read with rowMode 'array'
import { RESP_TYPES } from 'redis';
import type { Stores, User } from '../../../../lib/stores.ts';

const TTL_SECONDS = 300;
// fatal: bytes that are not UTF-8 throw, and a note that does not decode is a miss too
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fromNote(bytes: Buffer): User | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    if (typeof value !== 'object' || value === null)
      return undefined;
    const { id, name, email } = value as Record<string, unknown>;
    if (
      typeof id === 'number' &&
      typeof name === 'string' &&
      typeof email === 'string'
    ) {
      return { id, name, email };
    }
  } catch {
    // not UTF-8, or not JSON: a miss
  }
  return undefined;
}

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const raw = await stores.cache
    .withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
    .get(key);
  const hit = raw === null ? undefined : fromNote(raw);
  if (hit) return hit;

  const result = await stores.db.query<[number, string, string]>({
    text: 'SELECT id, name, email FROM users WHERE id = $1',
    values: [id],
    rowMode: 'array',
  });
  const row = result.rows[0];
  if (row === undefined) return null;
  const [userId, name, email] = row;
  const user: User = { id: userId, name, email };
  try {
    await stores.cache.set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: TTL_SECONDS },
    });
  } catch {
    // the note is an optimization: the row is still the answer
  }
  return user;
}
