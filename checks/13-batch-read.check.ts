import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import type { Stores, User } from '../lib/stores.ts';
import { useCourse } from './harness/course.ts';
import { describeRedis, describeSql, parseCached, valuesPutIn, writesOnceThere, writesTo } from './harness/observe.ts';
import { setsValueWithExpiry } from './harness/redis-monitor.ts';
import { describeEscaped, escapedDuring } from './harness/escaped.ts';
import { call, demand, errorText, isTodo, settle, show } from './harness/teach.ts';
import { afterUnawaited, waitUntil } from './harness/wait.ts';
import * as costs from './13-batch-read.costs.ts';
import {
  addMany,
  addUsers,
  cacheUsers,
  describeWrites,
  expected,
  idsOf,
  idsPassed,
  keyOf,
  label,
  ownCommands,
  putNotes,
  unknownIds,
} from './13-batch-read.helpers.ts';

type Module = typeof import('../solutions/13-batch-read/get-users.ts');

const course = useCourse('13');
const { getUsers } = await course.load<Module>();

/** getUsers, then what it sent without awaiting let in (the README asks for the fills, not for the answer to wait on them). */
async function read(stores: Stores, ids: number[]): Promise<(User | null)[]> {
  const answer = await call(label(ids), () => getUsers(stores, ids));
  await afterUnawaited(stores.cache);
  return answer;
}

describe('13 · batched cache-aside read', () => {
  it('answers an empty list with [] and no round trip to either store', async () => {
    const stores = await course.stores();
    const { result, sql, redis } = await course.watch(() => read(stores, []));
    demand(isDeepStrictEqual(result, []), '[] for an empty list of ids', show(result));
    const sent = ownCommands(redis);
    demand(
      sent.length === 0 && sql.length === 0,
      'no command to Redis and no SQL query: there is nothing to look up (and Redis refuses an MGET with no key)',
      `${describeRedis(sent)}; ${describeSql(sql)}`,
    );
  });

  it('answers in the order asked, hits and misses mixed', async () => {
    const users = await addMany(course, 6, 'order');
    await cacheUsers(course, [users[1]!, users[4]!]);
    // Asked neither in the order of the table nor with the hits first.
    const ids = [5, 1, 3, 0, 4, 2].map((i) => users[i]!.id);
    const stores = await course.stores();
    const answer = await read(stores, ids);
    demand(
      isDeepStrictEqual(answer, expected(ids, users)),
      `the users in the order asked, ids ${show(ids)} (Postgres returns rows in an order of its own: put each answer back in its place)`,
      `ids ${idsOf(answer)}: ${show(answer)}`,
    );
  });

  it('gives every occurrence of a duplicate id its answer', async () => {
    const [a, b, c] = await addMany(course, 3, 'dup');
    await cacheUsers(course, [b!]);
    // a and c miss, b is a hit: each asked more than once.
    const ids = [c!.id, b!.id, a!.id, c!.id, b!.id, a!.id, c!.id];
    const stores = await course.stores();
    const answer = await read(stores, ids);
    demand(
      isDeepStrictEqual(answer, expected(ids, [a!, b!, c!])),
      `${ids.length} entries, one per id asked, a repeated id answered in every place it stands: ids ${show(ids)}`,
      `${Array.isArray(answer) ? answer.length : 0} entries, ids ${idsOf(answer)}`,
    );
  });

  it('answers null for an unknown id and caches nothing for it', async () => {
    const users = await addMany(course, 3, 'unknown');
    await cacheUsers(course, [users[0]!]);
    const [x, y, z] = unknownIds(3);
    const ids = [x!, users[0]!.id, users[1]!.id, y!, users[2]!.id, z!];
    const stores = await course.stores();
    const { result, redis } = await course.watch(() => read(stores, ids));
    demand(
      isDeepStrictEqual(result, expected(ids, users)),
      `null in the places of ${x}, ${y} and ${z}, ids Postgres does not know, and the users in the others: ids ${show(ids.map((id) => (id > 9000 ? null : id)))}`,
      `ids ${idsOf(result)}`,
    );
    const written = [x!, y!, z!].flatMap((id) => valuesPutIn(redis, keyOf(id)));
    const left = await course.redis.exists([x!, y!, z!].map(keyOf));
    demand(
      written.length === 0 && left === 0,
      'nothing cached for an id that does not exist: no key user:<id> for it',
      written.length ? describeRedis(written) : `${left} of the keys user:${x}, user:${y}, user:${z} exist`,
    );
    // The user with id y is added now: the next call must find it, as Postgres does.
    const { rows } = await course.db.query<User>(
      `INSERT INTO users (id, name, email) OVERRIDING SYSTEM VALUE VALUES ($1, 'Late Comer', 'late@example.com')
       RETURNING id, name, email`,
      [y],
    );
    const again = await course.watch(() => read(stores, ids));
    demand(
      isDeepStrictEqual(again.result, expected(ids, [...users, ...rows])),
      `user ${y}, added to Postgres since the last call, in its place (ids ${show(ids)}): an id is unknown only while Postgres does not know it, so nothing may remember it as absent, in Redis or in the code`,
      `ids ${idsOf(again.result)}; ${describeSql(again.sql)}`,
    );
  });

  it('serves hits with one MGET and no SQL when every id is cached', () => costs.servesHitsFromRedis(course, read));

  it('reads only the misses from Postgres, in one query with the ids as a parameter', async () => {
    const users = await addMany(course, 6, 'miss');
    const hits = users.filter((_, i) => i % 2 === 0);
    await cacheUsers(course, hits);
    const [ghost] = unknownIds(1);
    const ids = [...users.map((u) => u.id), ghost!];
    const misses = [...users.filter((u) => !hits.includes(u)).map((u) => u.id), ghost!];
    const stores = await course.stores();
    const { result, sql } = await course.watch(() => read(stores, ids));
    demand(isDeepStrictEqual(result, expected(ids, users)), 'the users in the order asked', show(result));
    demand(
      sql.length === 1,
      `one SQL query for all the misses (ids ${misses.join(', ')}), e.g. SELECT … WHERE id = ANY($1) with an array`,
      describeSql(sql),
    );
    const passed = idsPassed(sql[0]!);
    demand(
      misses.every((id) => passed.has(id)),
      `the missed ids ${misses.join(', ')} passed to Postgres as a parameter (an array for ANY($1)), never written into the SQL text`,
      describeSql(sql),
    );
    const asked = hits.filter((u) => passed.has(u.id)).map((u) => u.id);
    demand(
      asked.length === 0,
      `Postgres asked only about the misses: ids ${hits.map((u) => u.id).join(', ')} were hits, already answered by Redis`,
      `the query was also given ${asked.join(', ')}: ${describeSql(sql)}`,
    );
  });

  it('fills each missed user once, with a 300-second TTL in the same command, and leaves hits alone', async () => {
    const [hit, ...missed] = await addMany(course, 4, 'fill');
    await cacheUsers(course, [hit!], 100);
    // The first miss is asked three times and the hit twice: still one fill per user.
    const ids = [hit!, missed[0]!, ...missed, hit!, missed[0]!].map((u) => u.id);
    const stores = await course.stores();
    const { redis } = await course.watch(async () => {
      const answer = await read(stores, ids);
      await waitUntil(async () => (await course.redis.exists(missed.map((u) => keyOf(u!.id)))) === missed.length, 1000);
      return answer;
    });
    for (const user of missed) {
      const key = keyOf(user!.id);
      demand(
        isDeepStrictEqual(parseCached(await course.redis.get(key)), user),
        `${key} filled with the user as JSON, ${JSON.stringify(user)}`,
        show(await course.redis.get(key)),
      );
      const ttl = await course.redis.ttl(key);
      demand(
        ttl >= 290 && ttl <= 300,
        `${key} to expire in 300 s (the TTL is the backstop against stale data)`,
        ttl === -1 ? 'it has no TTL at all: it would live for ever' : `TTL ${ttl} s`,
      );
    }
    const wrong = missed
      .map((u): [string, ReturnType<typeof writesOnceThere>] => [keyOf(u!.id), writesOnceThere(redis, keyOf(u!.id))])
      .filter(([, writes]) => writes.length !== 1 || !setsValueWithExpiry(writes[0]!));
    demand(
      wrong.length === 0,
      `each fill one command writing the value and its expiry together, e.g. SET user:<id> <json> EX 300, once per user however often its id is asked (${keyOf(missed[0]!.id)} is asked three times; a SET, or an MSET, then an EXPIRE leaves keys without a TTL if the second never runs)`,
      `commands that wrote the keys:\n  ${describeWrites(wrong)}`,
    );
    const rewrites = writesTo(redis, keyOf(hit!.id));
    const ttl = await course.redis.ttl(keyOf(hit!.id));
    demand(
      rewrites.length === 0 && ttl <= 100,
      `the hit ${keyOf(hit!.id)} left alone: no new SET, its TTL running from its own fill (100 s left)`,
      rewrites.length ? describeRedis(rewrites) : `TTL ${ttl} s`,
    );
  });

  it('treats a corrupt cached value as a miss and repairs it', async () => {
    const users = await addMany(course, 4, 'corrupt');
    const [good, halfWritten, notJson] = users;
    await cacheUsers(course, [good!]);
    await putNotes(
      course,
      [
        [halfWritten!.id, '{"id": 1, "name": "Ada'],
        [notJson!.id, 'not JSON at all'],
      ],
      100,
    );
    const ids = users.map((u) => u.id);
    const stores = await course.stores();
    const answer = await read(stores, ids);
    demand(
      isDeepStrictEqual(answer, users),
      'every user, those under a corrupt value read from Postgres (a value that is not valid JSON is a miss)',
      show(answer),
    );
    for (const user of [halfWritten!, notJson!]) {
      const key = keyOf(user.id);
      await waitUntil(async () => isDeepStrictEqual(parseCached(await course.redis.get(key)), user), 1000);
      const [text, ttl] = [await course.redis.get(key), await course.redis.ttl(key)];
      demand(
        isDeepStrictEqual(parseCached(text), user) && ttl > 100,
        `${key} overwritten with the fresh JSON ${JSON.stringify(user)} and a 300-second TTL (the miss repairs the note)`,
        `it holds ${show(text)}, TTL ${ttl} s`,
      );
    }
  });

  it('a fill Redis refuses never escapes the call', async () => {
    const users = await addMany(course, 3, 'refused');
    const ids = users.map((u) => u.id);
    const stores = await course.stores();
    await course.denyRedis('@write');
    // Every fill is refused; the PINGs of afterUnawaited come back after the refusals.
    const { outcome, escaped } = await escapedDuring(async () => {
      const settled = await settle(`${label(ids)} while Redis refuses writes`, () => getUsers(stores, ids));
      await afterUnawaited(stores.cache);
      return settled;
    }, 50);
    if (outcome.threw) throw outcome.error;
    const settled = outcome.value;
    demand(
      settled.ok ? isDeepStrictEqual(settled.value, users) : !isTodo(settled.error),
      `either the users from Postgres, ${show(users)}, or a rejection with the refused fill's error (an error from either store may simply reject)`,
      settled.ok
        ? show(settled.value)
        : `it threw the stub's own error, ${errorText(settled.error)}; write the code first`,
    );
    demand(
      escaped.length === 0,
      'every refused SET heard by someone: awaited (Promise.all, exec) so that getUsers rejects, or caught (.catch on a SET not awaited); a rejection nobody handles ends a Node process',
      `${describeEscaped(escaped)}${escaped.length > 3 ? ` (and ${escaped.length - 3} more)` : ''}`,
    );
  });

  it('keeps names intact through both stores (accents, quotes, backslashes, emoji)', async () => {
    const names = [
      `Zoë "Zed" O'Brien`,
      'Ngũgĩ wa Thiong’o',
      '李小龍',
      'back\\slash \\n not a newline',
      'Émile 🚀 Zola',
    ];
    const users = await addUsers(course, names, 'intact');
    const ids = users.map((u) => u.id);
    const stores = await course.stores();
    const first = await read(stores, ids);
    demand(isDeepStrictEqual(first, users), `the users as Postgres holds them, ${show(users)}`, show(first));
    for (const user of users) {
      const text = await course.redis.get(keyOf(user.id));
      demand(
        isDeepStrictEqual(parseCached(text), user),
        `${keyOf(user.id)} to hold the user as JSON, ${JSON.stringify(user)} (JSON.stringify writes any name safely)`,
        show(text),
      );
    }
    const again = await read(stores, ids);
    demand(isDeepStrictEqual(again, users), 'the same users again, now from Redis', show(again));
  });

  it('costs one MGET, one SQL query and one SET per user filled for 100 ids', () => costs.costOfAHundred(course, read));

  it('costs as many round trips for 100 ids as for 10', () => costs.sameTripsForTenAndAHundred(course, read));

  it('sends the fills of 50 misses together: one wait for Redis, not 50', () => costs.fillsTogether(course, read));
});
