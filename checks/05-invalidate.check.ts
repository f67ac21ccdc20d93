import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeRedis, userRow } from './harness/observe.ts';
import { call, demand, errorWith, rejects, show } from './harness/teach.ts';
import {
  cache as cacheIn,
  cacheAsideRead,
  COMMIT_DELAY_MS,
  deletions,
  renameWhileWatching as renameIn,
  REPLY_DELAY_MS,
  withRowHeld,
  withSlowCommit,
} from './05-invalidate.helpers.ts';

type Module = typeof import('../solutions/05-invalidate/update-user.ts');

const course = useCourse('05');
const { updateUser } = await course.load<Module>();

const cache = (id: number, value: unknown) => cacheIn(course, id, value);
const renameWhileWatching = () => renameIn(course, updateUser);

describe('05 · invalidate on write', () => {
  it('updates Postgres, then deletes user:<id>, and returns the new row', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    const result = await call(`updateUser(stores, ${ada.id}, { name: 'Ada King' })`, () =>
      updateUser(stores, ada.id, { name: 'Ada King' }),
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
  });

  it('deletes user:<id> only once the new row is committed', async () => {
    // Every COMMIT takes 300 ms more here: a DEL sent while it is still on its way is seen.
    const { ada, del, oldSeenAt, redis } = await withSlowCommit(course, renameWhileWatching);
    demand(del, `a DEL (or UNLINK) of user:${ada.id}`, `Redis saw ${describeRedis(redis)}`);
    const early = oldSeenAt - del.time;
    demand(
      early <= 10,
      `the DEL after the UPDATE has committed, that is once COMMIT (or an UPDATE sent on its own) has returned; here a COMMIT takes ${COMMIT_DELAY_MS} ms. While other sessions still read the old row, a reader that misses caches it again for the whole TTL (delete first, before COMMIT, or while a COMMIT you did not await is still running, and that is what happens)`,
      `Redis ran the DEL ${early.toFixed(0)} ms before other sessions stopped seeing the old name`,
    );
  });

  it('resolves only after Redis has deleted the key', async () => {
    const { ada, del, resolvedAt, redis } = await renameWhileWatching();
    demand(del, `a DEL (or UNLINK) of user:${ada.id}`, `Redis saw ${describeRedis(redis)}`);
    const waited = resolvedAt - del.time;
    demand(
      waited >= REPLY_DELAY_MS - 50,
      `updateUser to await the DEL: its reply takes ${REPLY_DELAY_MS} ms here, and a caller told "done" before it arrives may still read the old note (and never hears of a DEL that failed)`,
      `updateUser resolved ${waited.toFixed(0)} ms after Redis ran the DEL`,
    );
    // And when Redis refuses the DEL, the key is not deleted: the caller hears of it.
    const stores = await course.stores();
    await course.denyRedis('@write');
    await rejects(
      `updateUser(stores, ${ada.id}, { name: 'Ada Byron' }) while Redis refuses every write`,
      'the DEL failed, so the old note may still be served for up to 300 s: only the caller can decide what to do about it (retry, or live with it), and it must hear of it',
      () => updateUser(stores, ada.id, { name: 'Ada Byron' }),
    );
  });

  it('changes nothing when no field is given, and returns the row', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const result = await call(`updateUser(stores, ${ada.id}, {})`, () => updateUser(stores, ada.id, {}));
    demand(
      isDeepStrictEqual(result, ada) && isDeepStrictEqual(await userRow(course, ada.id), ada),
      `the row as it was, ${show(ada)}, stored and returned (no field given, nothing to change)`,
      `returned ${show(result)}, stored ${show(await userRow(course, ada.id))}`,
    );
  });

  it('updates only the fields given', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const steps: [string, { name?: string; email?: string }, string][] = [
      ['only the email changed', { email: 'ada@analytical.engine' }, ''],
      ['the name changed to the empty string', { name: '' }, " ('' is a value given, not a field left out)"],
    ];
    let expected = ada;
    for (const [what, changes, why] of steps) {
      const label = `updateUser(stores, ${ada.id}, ${show(changes)})`;
      const result = await call(label, () => updateUser(stores, ada.id, changes));
      expected = { ...expected, ...changes };
      const stored = await userRow(course, ada.id);
      demand(
        isDeepStrictEqual(result, expected) && isDeepStrictEqual(stored, expected),
        `${what}${why}: ${show(expected)}`,
        `${label} returned ${show(result)}, stored ${show(stored)}`,
      );
    }
    // Two updates of different fields at once (the row held until both wait for it): each
    // changes its own field, so neither undoes the other.
    const both = { name: 'Ada King', email: 'ada@lovelace.example' };
    const label = `updateUser(stores, ${ada.id}, { name: 'Ada King' }) and updateUser(stores, ${ada.id}, { email: 'ada@lovelace.example' }) at once`;
    const results = await withRowHeld(course, ada.id, () =>
      call(label, () =>
        Promise.all([
          updateUser(stores, ada.id, { name: both.name }),
          updateUser(stores, ada.id, { email: both.email }),
        ]),
      ),
    );
    const stored = await userRow(course, ada.id);
    demand(
      isDeepStrictEqual(stored, { ...ada, ...both }),
      `both changes kept, ${show({ ...ada, ...both })}: an UPDATE that sets only the fields given (e.g. SET name = COALESCE($2, name)), never a row read first and written back whole, which puts back the other update's old value`,
      `after ${label}: stored ${show(stored)} (they returned ${show(results)})`,
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

  it('keeps working after a failed update', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await addUser(course, 'Alan Turing', 'alan@example.com');
    // One client in the pool: the next update gets the very connection the failed one used.
    const stores = await course.stores({ pool: { max: 1, connectionTimeoutMillis: 1000 } });
    await rejects(
      `updateUser(stores, ${ada.id}, { email: 'alan@example.com' })`,
      'that email belongs to another user',
      () => updateUser(stores, ada.id, { email: 'alan@example.com' }),
    );
    const result = await call(
      `updateUser(stores, ${ada.id}, { name: 'Ada King' }) right after the failed one, with a pool of one client`,
      () => updateUser(stores, ada.id, { name: 'Ada King' }),
      3000,
    );
    const fresh = { ...ada, name: 'Ada King' };
    demand(
      isDeepStrictEqual(result, fresh) && isDeepStrictEqual(await userRow(course, ada.id), fresh),
      `the next update to work, ${show(fresh)}: a failed transaction is rolled back (ROLLBACK) and its client released, never handed back to the pool mid-transaction`,
      `returned ${show(result)}, stored ${show(await userRow(course, ada.id))}`,
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
    // Two writes in a row, each followed by a cache-aside read (which puts the note back up).
    for (const name of ['Ada King', 'Ada Byron']) {
      await call(`updateUser(stores, ${ada.id}, { name: '${name}' })`, () => updateUser(stores, ada.id, { name }));
      const read = await cacheAsideRead(course, ada.id);
      demand(
        read?.name === name,
        `a read after the write to return the new name, ${show(name)}: every write deletes user:${ada.id}, however soon it follows the last one`,
        `a read returns ${show(read)}${name === 'Ada Byron' ? ', the note the read after the first write put up' : ''}`,
      );
    }
  });

  it('returns null for an unknown id and writes nothing', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await cache(ada.id, ada);
    const stores = await course.stores();
    const { result, redis } = await course.watch(() =>
      call("updateUser(stores, 999, { name: 'Nobody' })", () => updateUser(stores, 999, { name: 'Nobody' })),
    );
    demand(result === null, 'null when no user has that id', show(result));
    const { rows } = await course.db.query('SELECT id, name FROM users ORDER BY id');
    demand(rows.length === 1 && rows[0].name === 'Ada Lovelace', 'the users table unchanged', show(rows));
    const deleted = deletions(redis);
    demand(
      deleted.length === 0,
      'no DEL when no row matched: nothing changed in Postgres, so no note is wrong',
      `Redis saw ${describeRedis(deleted)}`,
    );
  });
});
