import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeRedis, userRow } from './harness/observe.ts';
import { call, demand, errorWith, rejects, show } from './harness/teach.ts';

type Module = typeof import('../solutions/05-invalidate/update-user.ts');

const course = useCourse('05');
const { updateUser } = await course.load<Module>();

async function cache(id: number, value: unknown): Promise<void> {
  await course.redis.set(`user:${id}`, JSON.stringify(value), { EX: 300 });
}

describe('05 · invalidate on write', () => {
  it('updates Postgres, then deletes user:<id>, and returns the new row', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    const { result, redis } = await course.watch(() =>
      call(`updateUser(stores, ${ada.id}, { name: 'Ada King' })`, () =>
        updateUser(stores, ada.id, { name: 'Ada King' }),
      ),
    );
    const fresh = { ...ada, name: 'Ada King' };
    demand(isDeepStrictEqual(result, fresh), `the updated row ${show(fresh)}`, show(result));
    demand(
      isDeepStrictEqual(await userRow(course, ada.id), fresh),
      'Postgres to hold the new name',
      show(await userRow(course, ada.id)),
    );
    const left = await course.redis.get(`user:${ada.id}`);
    demand(
      left === null,
      `user:${ada.id} deleted, so the next read fetches the fresh row`,
      `it still holds ${show(left)}`,
    );
    const del = redis.find((c) => (c.args[0] === 'DEL' || c.args[0] === 'UNLINK') && c.args.includes(`user:${ada.id}`));
    const update = course.sql.find((s) => /^\s*update\b/i.test(s.text));
    demand(
      del && update && del.time >= update.sentAt,
      'the DEL after the UPDATE (deleting first lets a read in between cache the old row again)',
      del && update
        ? `DEL ran ${(update.sentAt - del.time).toFixed(1)} ms before the UPDATE was sent`
        : !update
          ? 'no UPDATE reached Postgres'
          : `no DEL of user:${ada.id} was sent; Redis saw ${describeRedis(redis)}`,
    );
  });

  it('updates only the fields given', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const result = await call(`updateUser(stores, ${ada.id}, { email: 'ada@analytical.engine' })`, () =>
      updateUser(stores, ada.id, { email: 'ada@analytical.engine' }),
    );
    const fresh = { ...ada, email: 'ada@analytical.engine' };
    demand(
      isDeepStrictEqual(result, fresh) && isDeepStrictEqual(await userRow(course, ada.id), fresh),
      `only the email changed: ${show(fresh)}`,
      `returned ${show(result)}, stored ${show(await userRow(course, ada.id))}`,
    );
  });

  it('leaves the cache alone when the update fails', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await addUser(course, 'Alan Turing', 'alan@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    await rejects(
      `updateUser(stores, ${ada.id}, { email: 'alan@example.com' })`,
      'that email belongs to another user',
      () => updateUser(stores, ada.id, { email: 'alan@example.com' }),
      errorWith(/duplicate key|unique/i, "Postgres's unique-violation error, passed on"),
    );
    const left = await course.redis.get(`user:${ada.id}`);
    demand(
      left === JSON.stringify(ada),
      `user:${ada.id} untouched: nothing changed in Postgres, so the note is still true (update first, then delete)`,
      `user:${ada.id} now holds ${show(left)}`,
    );
  });

  it('deletes only that key: no FLUSHDB, no KEYS scan', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const alan = await addUser(course, 'Alan Turing', 'alan@example.com');
    await cache(ada.id, ada);
    await cache(alan.id, alan);
    await course.redis.set('session:keep-me', 'someone else is logged in', { EX: 600 });
    const stores = await course.stores();
    const { redis } = await course.watch(() =>
      call(`updateUser(stores, ${ada.id}, { name: 'Ada King' })`, () =>
        updateUser(stores, ada.id, { name: 'Ada King' }),
      ),
    );
    const others = [`user:${alan.id}`, 'session:keep-me'];
    const survived = await Promise.all(others.map((k) => course.redis.exists(k)));
    demand(
      survived.every((n) => n === 1),
      'every other key to survive the write',
      `missing now: ${others.filter((_, i) => survived[i] !== 1).join(', ')}`,
    );
    const wide = redis.filter((c) => ['FLUSHDB', 'FLUSHALL', 'KEYS', 'SCAN'].includes(c.args[0] ?? ''));
    demand(
      wide.length === 0,
      'one DEL of user:<id>, not a sweep of the whole cache (that throws away every benefit)',
      describeRedis(wide),
    );
  });

  it('makes the next read see the fresh data', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    await call(`updateUser(stores, ${ada.id}, { name: 'Ada King' })`, () =>
      updateUser(stores, ada.id, { name: 'Ada King' }),
    );
    // A cache-aside read: the sticky note if there is one, else the filing cabinet.
    const note = await course.redis.get(`user:${ada.id}`);
    const read = note ? JSON.parse(note) : await userRow(course, ada.id);
    demand(read?.name === 'Ada King', 'a read after the write to return the new name', `a read returns ${show(read)}`);
  });

  it('returns null for an unknown id and writes nothing', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    const result = await call("updateUser(stores, 999, { name: 'Nobody' })", () =>
      updateUser(stores, 999, { name: 'Nobody' }),
    );
    demand(result === null, 'null when no user has that id', show(result));
    const { rows } = await course.db.query('SELECT id, name FROM users ORDER BY id');
    demand(rows.length === 1 && rows[0].name === 'Ada Lovelace', 'the users table unchanged', show(rows));
  });
});
