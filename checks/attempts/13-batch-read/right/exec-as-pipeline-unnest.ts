// right: the fills through multi().execAsPipeline(), the read as a join on unnest($1::int[]), a pooled client
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  const notes = await stores.cache.mGet(
    unique.map((id) => `user:${id}`),
  );
  const byId = new Map<number, User | null>();
  const misses: number[] = [];
  unique.forEach((id, i) => {
    try {
      const value = JSON.parse(notes[i] ?? 'null') as User | null;
      if (value) {
        byId.set(id, value);
        return;
      }
    } catch {
      // not JSON: read it again
    }
    misses.push(id);
  });

  if (misses.length) {
    const client = await stores.db.connect();
    let rows: User[];
    try {
      ({ rows } = await client.query<User>(
        `SELECT u.id, u.name, u.email
           FROM unnest($1::int[]) AS wanted(id)
           JOIN users u ON u.id = wanted.id`,
        [misses],
      ));
    } finally {
      client.release();
    }
    const pipeline = stores.cache.multi();
    for (const user of rows) {
      byId.set(user.id, user);
      pipeline.set(`user:${user.id}`, JSON.stringify(user), {
        expiration: { type: 'PX', value: 300_000 },
      });
    }
    await pipeline.execAsPipeline();
  }
  return ids.map((id) => byId.get(id) ?? null);
}
