import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import type { User } from '../lib/stores.ts';
import { useCourse } from './harness/course.ts';
import { addUser, describeSql, parseCached } from './harness/observe.ts';
import { call, demand, errorText, errorWith, rejects, settle, show, withUnhandled } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';
import { quietAfter } from './harness/background.ts';
import { PERMISSION_DENIED, whileRefused } from './harness/refuse-postgres.ts';
import {
  answerAfterPostgres,
  slowRedisStores,
  threeUsers,
  callThenQuiet,
  describeOutcome,
  keysPresent,
  servedByRedis,
  timed,
} from './06-cache-lies.helpers.ts';

type Module = typeof import('../solutions/06-cache-lies/resilient-get-user.ts');

const course = useCourse('06');
const { getUserResilient } = await course.load<Module>();

describe('06 · a cache that can lie or be gone', () => {
  it('serves a hit from Redis without querying Postgres', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    // The sticky note says something the cabinet does not, so the answer shows where it came from.
    const note: User = { ...ada, name: 'Ada (from the cache)' };
    const stores = await course.stores();
    const { result, sql } = await servedByRedis(async () => {
      await course.redis.set(`user:${ada.id}`, JSON.stringify(note), { EX: 300 });
      return callThenQuiet(course, stores, `getUserResilient(stores, ${ada.id})`, () =>
        getUserResilient(stores, ada.id),
      );
    });
    demand(
      isDeepStrictEqual(result, note),
      `a hit on user:${ada.id} to return the cached user ${show(note)}`,
      show(result),
    );
    demand(
      sql.length === 0,
      'no SQL query on a hit, not even one sent after the answer: the sticky note answered',
      describeSql(sql),
    );
  });

  it('on a miss, reads Postgres once and fills user:<id> with the JSON and a TTL near 300 s', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const { result, sql } = await callThenQuiet(course, stores, `getUserResilient(stores, ${ada.id})`, () =>
      getUserResilient(stores, ada.id),
    );
    demand(isDeepStrictEqual(result, ada), `the row from Postgres, ${show(ada)}`, show(result));
    demand(sql.length === 1, 'one SQL query on a miss (the SELECT of that user), and none after it', describeSql(sql));
    const key = `user:${ada.id}`;
    // The cache write may finish after the answer (it should not hold the caller up): give it a moment.
    await waitUntil(async () => isDeepStrictEqual(parseCached(await course.redis.get(key)), ada), 1500);
    const cached = await course.redis.get(key);
    demand(
      isDeepStrictEqual(parseCached(cached), ada),
      `${key} filled with the user as JSON, ${JSON.stringify(ada)}, within a second of the answer`,
      cached === null
        ? `${key} is still missing; keys present: ${await keysPresent(course)}`
        : `${key} holds ${show(cached)}`,
    );
    const ttl = await course.redis.ttl(key);
    demand(
      ttl >= 240 && ttl <= 360,
      `${key} to expire in about 300 s (between 240 and 360 s with jitter)`,
      ttl === -1 ? 'it has no TTL at all: it would live forever' : `TTL ${ttl} s`,
    );
  });

  it('answers from Postgres within a second when Redis is slow', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await slowRedisStores(course);
    const label = `getUserResilient(stores, ${ada.id}) while every Redis reply takes 2 s`;
    const outcome = await timed(label, () => getUserResilient(stores, ada.id));
    demand(
      !('pending' in outcome) && outcome.ok && isDeepStrictEqual(outcome.value, ada) && outcome.ms < 1000,
      `${label} to return ${show(ada)} from Postgres within 1 s: give each Redis call a deadline (about 100 ms) and treat "too slow" like "unavailable"`,
      describeOutcome(outcome),
    );
  });

  it('answers a miss without waiting for the cache write', async () => {
    const users = await threeUsers(course);
    const stores = await slowRedisStores(course); // the SET's reply too: waiting for it (even 100 ms) shows
    // A loaded machine may stretch the moment now and then, so each of three misses gets its chance.
    const after: string[] = [];
    for (const user of users) {
      const label = `getUserResilient(stores, ${user.id}) while every Redis reply takes 2 s`;
      const { result, waited } = await answerAfterPostgres(course, label, () => getUserResilient(stores, user.id));
      demand(isDeepStrictEqual(result, user), `${label} to return ${show(user)} from Postgres`, show(result));
      if (waited < 75) return;
      after.push(`${waited.toFixed(0)} ms`);
    }
    demand(
      false,
      "the user handed to the caller as soon as Postgres answered: the cache write is started, not awaited (with a .catch), since the caller's answer does not depend on it",
      `each caller got its user only ${after.join(', ')} after Postgres had answered (waiting for Redis's reply to the SET, or for its deadline)`,
    );
  });

  it('answers from Postgres within a second when Redis is down, without rejecting', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const proxy = await course.proxy('redis');
    const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
    proxy.mode = 'blackhole';
    proxy.cut();
    const label = `getUserResilient(stores, ${ada.id}) while Redis is out of reach`;
    const outcome = await timed(label, () => getUserResilient(stores, ada.id));
    demand(
      !('pending' in outcome) && outcome.ok && isDeepStrictEqual(outcome.value, ada) && outcome.ms < 1000,
      `${label} to return ${show(ada)} from Postgres within 1 s: the cache is an optimization, so an outage falls back to the filing cabinet instead of failing the read`,
      describeOutcome(outcome),
    );
  });

  it('sends one SQL query for 50 concurrent misses on one id', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const { result, sql } = await course.watch(() =>
      call(`50 concurrent getUserResilient(stores, ${ada.id}) on a cold key`, () =>
        Promise.all(Array.from({ length: 50 }, () => getUserResilient(stores, ada.id))),
      ),
    );
    const wrong = result.filter((u) => !isDeepStrictEqual(u, ada));
    demand(
      wrong.length === 0,
      `all 50 callers to get ${show(ada)}`,
      `${wrong.length} got something else, e.g. ${show(wrong[0])}`,
    );
    demand(
      sql.length === 1,
      'one SQL query for all 50 callers: the first miss reads Postgres and the others wait for its answer (a stampede of identical queries is what the cache was protecting Postgres from)',
      describeSql(sql),
    );
  });

  it('shares a read only among concurrent callers for the same id', async () => {
    const users = await threeUsers(course);
    const stores = await course.stores();
    const ids = Array.from({ length: 30 }, (_, i) => users[i % users.length]!.id);
    const { result, sql } = await course.watch(() =>
      call(`30 concurrent getUserResilient calls for ids ${users.map((u) => u.id).join(', ')} (cold keys)`, () =>
        Promise.all(ids.map((id) => getUserResilient(stores, id))),
      ),
    );
    const wrong = ids.flatMap((id, i) => (result[i]?.id === id ? [] : [`id ${id} got ${show(result[i])}`]));
    demand(
      wrong.length === 0,
      'every caller to get the user it asked for: the in-flight Map is keyed by id, one shared read per id',
      `${wrong.length} of 30 got another answer, e.g. ${wrong[0]}`,
    );
    demand(sql.length === users.length, `one SQL query per id, ${users.length} in all`, describeSql(sql));
  });

  it('reads Postgres again on a later miss: a settled read is not kept', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    await call(`getUserResilient(stores, ${ada.id})`, () => getUserResilient(stores, ada.id));
    const key = `user:${ada.id}`;
    await waitUntil(async () => (await course.redis.exists(key)) === 1, 1000);
    // The row changes and the note is peeled off, as exercise 05 does on a write.
    await course.db.query("UPDATE users SET name = 'Ada King' WHERE id = $1", [ada.id]);
    await course.redis.del(key);
    const fresh = { ...ada, name: 'Ada King' };
    const { result, sql } = await course.watch(() =>
      call(`getUserResilient(stores, ${ada.id}) after user:${ada.id} was deleted`, () =>
        getUserResilient(stores, ada.id),
      ),
    );
    demand(
      isDeepStrictEqual(result, fresh) && sql.length === 1,
      `a miss to read Postgres again and return ${show(fresh)}: the Map holds only reads in flight, deleted once they settle`,
      `it returned ${show(result)} after ${describeSql(sql)}`,
    );
    // A read that failed is settled too: the next call tries again.
    await course.redis.del(key);
    await whileRefused(course, 'SELECT', 'users', () =>
      settle(`getUserResilient(stores, ${ada.id}) while Postgres refuses the SELECT`, () =>
        getUserResilient(stores, ada.id),
      ),
    );
    const label = `getUserResilient(stores, ${ada.id}), the call after one whose read failed,`;
    const again = await settle(label, () => getUserResilient(stores, ada.id));
    demand(
      again.ok && isDeepStrictEqual(again.value, fresh),
      `${label} to read Postgres again and return ${show(fresh)}: the entry is deleted once the read settles, fulfilled or rejected (in a finally), so a failure is not handed to every later caller`,
      again.ok
        ? `it returned ${show(again.value)}${again.value === null ? ' (the failed read taken for an absent user?)' : ''}`
        : `it rejected with ${errorText(again.error)}, the failed read's error kept in the Map`,
    );
  });

  it('rejects when the Postgres read fails, and marks nothing absent', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    const label = `getUserResilient(stores, ${ada.id}) while Postgres refuses the SELECT`;
    await whileRefused(course, 'SELECT', 'users', () =>
      rejects(
        label,
        'Postgres is the source of truth: when it cannot be read there is no answer, and "absent" (null) would be a lie',
        () => getUserResilient(stores, ada.id),
        errorWith(PERMISSION_DENIED, "Postgres's own error (permission denied for table users), passed on"),
      ),
    );
    await quietAfter(stores);
    const left = await course.redis.get(`user:${ada.id}`);
    demand(
      left === null,
      `nothing written to user:${ada.id}: Postgres never said the user is absent, so a marker would hide a user who exists`,
      `user:${ada.id} holds ${show(left)} (TTL ${await course.redis.ttl(`user:${ada.id}`)} s)`,
    );
  });

  it('returns the user when Redis refuses the cache write, with no unhandled rejection', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const stores = await course.stores();
    await course.denyRedis('@write');
    // The refused SET comes back after the answer.
    const { result, unhandled } = await withUnhandled(
      () =>
        call(`getUserResilient(stores, ${ada.id}) while Redis refuses writes`, () => getUserResilient(stores, ada.id)),
      300,
    );
    demand(isDeepStrictEqual(result, ada), `the user from Postgres, ${show(ada)}`, show(result));
    demand(
      unhandled.length === 0,
      'the cache write, not awaited, still caught (`.catch(...)`): a rejection nobody handles can crash the process',
      `an unhandled rejection: ${unhandled.map((e) => errorText(e)).join('; ')}`,
    );
  });

  it('remembers an unknown id briefly as absent, so a repeat skips Postgres', async () => {
    const stores = await course.stores();
    const first = await course.watch(() =>
      call('getUserResilient(stores, 4242)', () => getUserResilient(stores, 4242)),
    );
    demand(first.result === null, 'null for a user that is not in Postgres', show(first.result));
    demand(first.sql.length === 1, 'the first lookup of an unknown id to ask Postgres once', describeSql(first.sql));
    const key = 'user:4242';
    await waitUntil(async () => (await course.redis.exists(key)) === 1, 1500);
    const ttl = await course.redis.ttl(key);
    demand(
      ttl > 0 && ttl <= 60,
      `${key} to hold an "absent" marker that expires within 60 s (the user may be created a moment later)`,
      ttl === -2
        ? `${key} does not exist: nothing remembers that user 4242 is absent; keys present: ${await keysPresent(course)}`
        : ttl === -1
          ? `${key} has no TTL at all: the absence would be remembered forever`
          : `TTL ${ttl} s`,
    );
    const second = await servedByRedis(() =>
      course.watch(() => call('getUserResilient(stores, 4242) again', () => getUserResilient(stores, 4242))),
    );
    demand(second.result === null, `null again (the marker in ${key} means "no such user")`, show(second.result));
    demand(
      second.sql.length === 0,
      `no SQL query for the repeat: Redis remembers the absence (${key} holds ${show(await course.redis.get(key))})`,
      describeSql(second.sql),
    );
  });

  it('jitters TTLs so keys filled together do not expire together', async () => {
    const users: User[] = [];
    for (let i = 0; i < 20; i += 1) users.push(await addUser(course, `User ${i}`, `user${i}@example.com`));
    const stores = await course.stores();
    for (const user of users)
      await call(`getUserResilient(stores, ${user.id})`, () => getUserResilient(stores, user.id));
    const keys = users.map((u) => `user:${u.id}`);
    await waitUntil(async () => (await course.redis.exists(keys)) === keys.length, 2000);
    const pttls = await Promise.all(keys.map((k) => course.redis.pTTL(k)));
    const seconds = pttls.map((ms) => (ms < 0 ? ms : Math.round(ms / 1000)));
    demand(
      pttls.every((ms) => ms >= 240_000 && ms <= 360_000),
      'every filled user:<id> to expire in about 300 s (between 240 and 360 s)',
      `TTLs in seconds (-2: missing, -1: no TTL): ${seconds.join(', ')}`,
    );
    const spread = Math.max(...pttls) - Math.min(...pttls);
    demand(
      spread >= 5000,
      '20 keys filled one after another to expire at moments spread over at least 5 s (300 s plus or minus a random few percent); equal TTLs make them all expire in the same second, and a stampede follows',
      `their TTLs span only ${(spread / 1000).toFixed(1)} s: ${seconds.join(', ')}`,
    );
  });
});
