import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeRedis, userRow } from './harness/observe.ts';
import { now } from './harness/course.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { call, demand, errorWith, rejects, show } from './harness/teach.ts';
import { sleep } from './harness/wait.ts';

type Module = typeof import('../solutions/05-invalidate/update-user.ts');

const course = useCourse('05');
const { updateUser } = await course.load<Module>();

async function cache(id: number, value: unknown): Promise<void> {
  await course.redis.set(`user:${id}`, JSON.stringify(value), { EX: 300 });
}

/** The command that deleted `key`, as Redis ran it (from a script or a MULTI too). */
function deletionOf(redis: SeenCommand[], key: string): SeenCommand | undefined {
  return redis.find((c) => (c.args[0] === 'DEL' || c.args[0] === 'UNLINK') && c.args.slice(1).includes(key));
}

const REPLY_DELAY_MS = 300;

/**
 * Renames Ada while every Redis reply takes 300 ms, and meanwhile reads her row from another
 * session every few ms, as any reader would: when the DEL ran, and until when readers still saw
 * the old name. Deleting before the new row is committed leaves readers 300 ms (the DEL's reply)
 * to fetch the old row and cache it again.
 */
async function renameWhileWatching() {
  const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
  await cache(ada.id, ada);
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  proxy.mode = 'slow';
  proxy.delayMs = REPLY_DELAY_MS;
  let running = true;
  let oldSeenAt = 0; // when the last read that still saw the old name was sent
  const reader = (async () => {
    while (running) {
      const sentAt = now();
      const row = await userRow(course, ada.id);
      if (row?.name === 'Ada Lovelace') oldSeenAt = sentAt;
      await sleep(3);
    }
  })();
  const { result, redis } = await course.watch(async () => {
    try {
      const user = await call(
        `updateUser(stores, ${ada.id}, { name: 'Ada King' }) while Redis replies take ${REPLY_DELAY_MS} ms`,
        () => updateUser(stores, ada.id, { name: 'Ada King' }),
      );
      return { user, resolvedAt: now() };
    } finally {
      await sleep(20);
      running = false;
      await reader;
    }
  });
  return { ada, ...result, oldSeenAt, del: deletionOf(redis, `user:${ada.id}`), redis };
}

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
    const { ada, del, oldSeenAt, redis } = await renameWhileWatching();
    demand(del, `a DEL (or UNLINK) of user:${ada.id}`, `Redis saw ${describeRedis(redis)}`);
    const early = oldSeenAt - del.time;
    demand(
      early <= 10,
      'the DEL after the UPDATE has committed: while other sessions still read the old row, a reader that misses caches it again for the whole TTL (delete first, or inside a transaction before COMMIT, and that is what happens)',
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
