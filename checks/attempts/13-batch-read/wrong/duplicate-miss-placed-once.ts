// wrong: "the first and the last both user 7, whether 7 was a hit or a miss" → must fail: gives every occurrence of a duplicate id its answer
// Each row goes to the place where its id first appears
// (indexOf): a duplicate that was a hit is fine, a duplicate that
// missed keeps null in its later places.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const notes = await stores.cache.mGet(
    ids.map((id) => `user:${id}`),
  );
  const answers: (User | null)[] = ids.map(() => null);
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const note = notes[i];
    if (note != null) {
      try {
        answers[i] = JSON.parse(note) as User;
        return;
      } catch {
        // corrupt: a miss
      }
    }
    missing.add(id);
  });
  if (missing.size > 0) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1)',
      [[...missing]],
    );
    for (const u of rows) answers[ids.indexOf(u.id)] = u;
    await Promise.all(
      rows.map((u) =>
        stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
          expiration: { type: 'EX', value: 300 },
        }),
      ),
    );
  }
  return answers;
}
