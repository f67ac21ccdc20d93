import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import type { Stores, User } from '../lib/stores.ts';
import { useCourse } from './harness/course.ts';
import { addUser, describeRedis, describeSql, parseCached, valuesPutIn, writesOnceThere } from './harness/observe.ts';
import { setsValueWithExpiry } from './harness/redis-monitor.ts';
import { call, demand, errorText, errorWith, rejects, settle, show, withUnhandled } from './harness/teach.ts';
import { afterUnawaited, waitUntil } from './harness/wait.ts';
import { quietAfter, withoutPings } from './harness/background.ts';
import { PERMISSION_DENIED, whileRefused } from './harness/refuse-postgres.ts';

type Module = typeof import('../solutions/04-cache-aside/get-user.ts');

const course = useCourse('04');
const { getUser } = await course.load<Module>();

/**
 * getUser(stores, id), then a moment (up to 1 s) for user:<id> to appear: the README asks for the
 * fill, not for the answer to wait on it, so a write still on its way when the user returns counts.
 * What the call went on doing after its answer (a query sent later) lands in the record too.
 */
async function getAndFill(stores: Stores, id: number, label = `getUser(stores, ${id})`): Promise<User | null> {
  const result = await call(label, () => getUser(stores, id));
  await waitUntil(async () => (await course.redis.exists(`user:${id}`)) === 1, 1000);
  await quietAfter(stores);
  return result;
}

describe('04 · cache-aside read path', () => {
  it('on a miss, reads Postgres once and fills user:<id> with the user as JSON', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const { result, sql } = await course.watch(() => getAndFill(stores, ada.id));
    demand(isDeepStrictEqual(result, ada), `getUser to return the row from Postgres, ${show(ada)}`, show(result));
    demand(sql.length === 1, 'one SQL query on a miss (the SELECT of that user)', describeSql(sql));
    demand(
      sql[0]!.values.some((v) => v === ada.id || v === String(ada.id)),
      'the id passed to Postgres as a parameter ($1), never written into the SQL text',
      describeSql(sql),
    );
    const cached = await course.redis.get(`user:${ada.id}`);
    demand(
      cached !== null,
      `the miss to fill the key user:${ada.id}`,
      `user:${ada.id} is missing; keys present: ${show(await course.redis.keys('*'))}`,
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(cached);
    } catch {
      parsed = undefined;
    }
    demand(
      isDeepStrictEqual(parsed, ada),
      `user:${ada.id} to hold the user as JSON, ${JSON.stringify(ada)}`,
      show(cached),
    );
  });

  it('sets a 300-second TTL in the same command as the value', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const { redis } = await course.watch(() => getAndFill(stores, ada.id));
    const key = `user:${ada.id}`;
    const ttl = await course.redis.ttl(key);
    demand(
      ttl > 0 && ttl <= 300 && ttl >= 290,
      `user:${ada.id} to expire in 300 s (the TTL is the backstop against stale data)`,
      ttl === -1
        ? 'it has no TTL at all: it would live forever'
        : ttl === -2
          ? 'the key does not exist'
          : `TTL ${ttl} s`,
    );
    // The key was missing: a GETEX or EXPIRE of it before the fill changed nothing.
    const writes = writesOnceThere(redis, key);
    const setWithExpiry = writes.find(setsValueWithExpiry);
    demand(
      setWithExpiry && writes.length === 1,
      'the value and its expiry written by one command, e.g. SET user:<id> <json> EX 300 (a SET then an EXPIRE leaves a key without TTL if the second never runs)',
      `commands that wrote ${key}: ${describeRedis(writes)}`,
    );
  });

  it('serves a hit from Redis with one command and no SQL query', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const key = `user:${ada.id}`;
    // Each note says something the cabinet does not, so the answer shows where it came from. The
    // second replaces the first between two calls, as another process's fill would, and holds
    // strings a careless parse would change: digits only, quotes, a character beyond ASCII.
    const notes: User[] = [
      { ...ada, name: 'Ada (from the cache)' },
      { ...ada, name: '007', email: 'zoë."0"@example.com' },
    ];
    const stores = await course.stores();
    for (const [i, note] of notes.entries()) {
      // Filled a while ago: 100 s of its 300 left.
      await course.redis.set(key, JSON.stringify(note), { EX: 100 });
      const { result, sql, redis } = await course
        .watch(async () => {
          const user = await call(`getUser(stores, ${ada.id})`, () => getUser(stores, ada.id));
          await quietAfter(stores); // a query or a write sent after the answer counts too
          return user;
        })
        .then((seen) => ({ ...seen, redis: withoutPings(seen.redis) }));
      demand(
        isDeepStrictEqual(result, note),
        `a hit to return the cached user ${show(note)}` +
          (i > 0
            ? `, the note put there since the last call: read ${key} on every call (no copy kept in the process), and return its JSON as it is`
            : ''),
        show(result),
      );
      demand(
        sql.length === 0,
        'no SQL query on a hit, not even one sent after the answer: the point of the cache is not to open the filing cabinet',
        describeSql(sql),
      );
      demand(redis.length === 1, 'exactly one Redis command on a hit (the GET)', describeRedis(redis));
      const ttl = await course.redis.ttl(key);
      demand(
        ttl > 0 && ttl <= 100,
        'a hit to leave the TTL alone: it runs from the fill, so that a note is never older than 300 s (the backstop against stale data)',
        ttl === -1 ? 'the key has no TTL any more' : `the hit set it again: ${ttl} s left instead of at most 100`,
      );
    }
  });

  it('returns null for an unknown user and caches nothing for it', async () => {
    const stores = await course.stores();
    const { result, redis } = await course.watch(async () => {
      const answer = await call('getUser(stores, 4242)', () => getUser(stores, 4242));
      // A write sent without await lands before the answer to a round trip sent after it.
      await afterUnawaited(stores.cache);
      return answer;
    });
    demand(result === null, 'null for a user that is not in Postgres', show(result));
    const left = await course.redis.get('user:4242');
    // Judged by effect: a value put there (even one that expired or was deleted since), not a GETEX of the missing key.
    const writes = valuesPutIn(redis, 'user:4242');
    demand(
      left === null && writes.length === 0,
      'nothing cached for a user that does not exist (step 4: null, and no key user:4242)',
      left !== null
        ? `user:4242 holds ${show(left)}`
        : `commands that put a value in user:4242: ${describeRedis(writes)}`,
    );
  });

  it('gives every Postgres client it takes back to the pool', async () => {
    const users = [
      await addUser(course, 'Ada Lovelace', 'ada@example.com'),
      await addUser(course, 'Alan Turing', 'alan@example.com'),
      await addUser(course, 'Grace Hopper', 'grace@example.com'),
    ];
    // A pool of two: a client kept after a miss shows by the third miss.
    const stores = await course.stores({ pool: { max: 2, connectionTimeoutMillis: 1000 } });
    const checkedOut = (after: string) => {
      const { totalCount, idleCount } = stores.db;
      demand(
        totalCount === idleCount,
        'every client checked out of the pool released once the read is done, even when the query failed (client.release() in a finally), so misses never run the pool dry',
        `${totalCount - idleCount} of the pool's ${totalCount} client(s) still checked out after ${after}`,
      );
    };
    // First two misses whose SELECT fails (Postgres refuses it): a release skipped on failure shows here.
    await whileRefused(course, 'SELECT', 'users', async () => {
      for (const user of users.slice(0, 2)) {
        const label = `getUser(stores, ${user.id}), a miss, while Postgres refuses the SELECT`;
        await settle(label, () => getUser(stores, user.id), 3000);
        checkedOut(`${label} settled`);
      }
    });
    for (const user of users) {
      const result = await call(
        `getUser(stores, ${user.id}), a miss, with a pool of 2 clients after ${users.indexOf(user) + 2} misses`,
        () => getUser(stores, user.id),
        3000,
      );
      demand(isDeepStrictEqual(result, user), `the row from Postgres, ${show(user)}`, show(result));
      checkedOut(`getUser(stores, ${user.id}) returned`);
    }
  });

  it('rejects when the Postgres read fails instead of answering null', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const label = `getUser(stores, ${ada.id}), a miss, while Postgres refuses the SELECT`;
    await whileRefused(course, 'SELECT', 'users', () =>
      rejects(
        label,
        'null means the user does not exist; a SELECT that failed says nothing about that, and the caller must hear of it',
        () => getUser(stores, ada.id),
        errorWith(PERMISSION_DENIED, "Postgres's own error (permission denied for table users), passed on"),
      ),
    );
    await afterUnawaited(stores.cache);
    const left = await course.redis.get(`user:${ada.id}`);
    demand(
      left === null,
      `nothing cached for user ${ada.id}: Postgres never answered`,
      `user:${ada.id} holds ${show(left)}`,
    );
  });

  it('treats a corrupt cached value as a miss and repairs it', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await course.redis.set(`user:${ada.id}`, '{"id": 1, "name": "Ada', { EX: 300 });
    const stores = await course.stores();
    const result = await call(`getUser(stores, ${ada.id}) with a corrupt cached value`, () => getUser(stores, ada.id));
    const fresh = JSON.stringify(ada);
    await waitUntil(async () => isDeepStrictEqual(parseCached(await course.redis.get(`user:${ada.id}`)), ada), 1000);
    demand(
      isDeepStrictEqual(result, ada),
      `the user read from Postgres, ${show(ada)} (a value that is not valid JSON is a miss)`,
      show(result),
    );
    const repaired = await course.redis.get(`user:${ada.id}`);
    demand(
      isDeepStrictEqual(parseCached(repaired), ada),
      `user:${ada.id} overwritten with the fresh JSON, ${fresh} (the miss repairs the note)`,
      `it still holds ${show(repaired)}`,
    );
  });

  it('still returns the user when the cache write fails', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    await course.denyRedis('@write');
    // A SET sent without await is refused before the answer to a round trip sent after it.
    const { result, unhandled } = await withUnhandled(
      () => call(`getUser(stores, ${ada.id}) while Redis refuses writes`, () => getUser(stores, ada.id)),
      () => afterUnawaited(stores.cache),
    );
    demand(
      isDeepStrictEqual(result, ada),
      `the user from Postgres even though Redis refused the SET (filling the cache is best-effort)`,
      show(result),
    );
    demand(
      unhandled.length === 0,
      'the refused SET caught (try/catch around an awaited SET, or .catch on one not awaited): a rejection nobody handles can crash the process',
      `an unhandled rejection: ${unhandled.map((e) => errorText(e)).join('; ')}`,
    );
  });

  it('rejects when Redis answers with a real error instead of treating it as a miss', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    // Every command that reads a key fails, GETEX (a read that can re-time) and scripts included.
    await course.denyRedis('@read', 'getex', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro');
    const { sql } = await course.watch(() =>
      rejects(
        `getUser(stores, ${ada.id}) while Redis fails every read`,
        'a failed GET is a real Redis error, not a missing key (null); hiding it as a miss sends every request to Postgres and hides the outage',
        () => getUser(stores, ada.id),
        errorWith('NOPERM', "Redis's own error (NOPERM …), passed on rather than swallowed"),
      ),
    );
    demand(sql.length === 0, 'no SQL query once the GET failed', describeSql(sql));
  });

  it('rejects on a WRONGTYPE error from Redis', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await course.redis.hSet(`user:${ada.id}`, 'name', 'not a string value');
    const stores = await course.stores();
    await rejects(
      `getUser(stores, ${ada.id}) when user:${ada.id} holds a hash`,
      'GET answers WRONGTYPE, a real error (null is the only "missing" answer)',
      () => getUser(stores, ada.id),
      errorWith('WRONGTYPE', "Redis's WRONGTYPE error, passed on"),
    );
  });
});
