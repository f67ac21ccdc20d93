// right: the fills in one MULTI/EXEC transaction, the read as a query config object, answers by a Map
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const keys = ids.map((id) => `user:${id}`);
  const notes = await stores.cache.mGet(keys);

  const answers = new Map<number, User>();
  const toRead: number[] = [];
  for (const [i, id] of ids.entries()) {
    const note = notes[i];
    let user: User | undefined;
    if (typeof note === 'string') {
      try {
        user = JSON.parse(note) as User;
      } catch {
        user = undefined;
      }
    }
    if (user && typeof user === 'object') answers.set(id, user);
    else if (!toRead.includes(id)) toRead.push(id);
  }

  if (toRead.length) {
    const { rows } = await stores.db.query<User>({
      text: 'SELECT id, name, email FROM users WHERE id = ANY($1::int[])',
      values: [toRead],
    });
    if (rows.length) {
      const tx = stores.cache.multi();
      for (const user of rows) {
        answers.set(user.id, user);
        tx.set(`user:${user.id}`, JSON.stringify(user), {
          expiration: { type: 'EX', value: 300 },
        });
      }
      await tx.exec();
    }
  }
  return ids.map((id) => answers.get(id) ?? null);
}
