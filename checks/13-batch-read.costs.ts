// The round-trip checks of checks/13-batch-read.check.ts: what getUsers costs in commands, queries
// and waits for Redis. Each takes the course and the call to measure, and says what was expected
// and what was observed.
import { isDeepStrictEqual } from 'node:util';
import type { Stores, User } from '../lib/stores.ts';
import type { Course } from './harness/course.ts';
import { describeRedis, describeSql, valuesPutIn, writesTo } from './harness/observe.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { demand, show } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';
import {
  addMany,
  cacheUsers,
  callCounting,
  describeTrips,
  describeWrites,
  expected,
  idsOf,
  keyOf,
  label,
  mixed,
  ownCommands,
  roundTrips,
  summary,
  unknownIds,
} from './13-batch-read.helpers.ts';

/** getUsers called as the check file calls it: the answer, once what it sent without awaiting is in. */
export type Read = (stores: Stores, ids: number[]) => Promise<(User | null)[]>;

const LESSON = 'lesson 09';

/** 100 ids: 40 hits, 30 misses, 10 unknown ids and 20 repeats, mixed; or 10 ids in the same proportions. */
async function mixOf(course: Course, size: 10 | 100, tag: string) {
  const n = size / 10;
  const users = await addMany(course, 7 * n, tag);
  const hits = users.slice(0, 4 * n);
  const misses = users.slice(4 * n);
  await cacheUsers(course, hits);
  const unknown = unknownIds(n).map((id) => id + (size === 100 ? 100 : 0));
  const distinct = [...hits, ...misses].map((u) => u.id).concat(unknown);
  const repeats = [...hits.slice(0, n), ...misses.slice(0, n)].map((u) => u.id);
  return { users, hits, misses, unknown, ids: mixed([...distinct, ...repeats]) };
}

/** The check "serves hits with one MGET and no SQL when every id is cached". */
export async function servesHitsFromRedis(course: Course, read: Read): Promise<void> {
  const users = await addMany(course, 5, 'hit');
  // The notes say something the cabinet does not, so the answer shows where it came from.
  const notes = users.map((u) => ({ ...u, name: `${u.name} (from the cache)` }));
  await cacheUsers(course, notes, 100);
  const ids = [2, 0, 4, 1, 3, 0].map((i) => users[i]!.id);
  const stores = await course.stores();
  // Twice, the notes rewritten in between: every call reads what the notes say now.
  for (const [round, said] of [
    [1, notes],
    [2, users.map((u) => ({ ...u, name: `${u.name} (from the cache, rewritten)` }))],
  ] as const) {
    if (round === 2) await cacheUsers(course, said, 100);
    const { result, sql, redis } = await course.watch(() => read(stores, ids));
    const when = round === 1 ? '' : ' again, the notes rewritten since the first call';
    demand(
      isDeepStrictEqual(result, expected(ids, said)),
      `the cached users${when}, in the order asked: the notes are the answer, read from Redis on every call`,
      show(result),
    );
    demand(sql.length === 0, `no SQL query when every id is a hit${when}: no miss, no query`, describeSql(sql));
    const sent = ownCommands(redis);
    const mget = sent[0];
    demand(
      sent.length === 1 && mget?.args[0] === 'MGET' && users.every((u) => mget.args.includes(keyOf(u.id))),
      `exactly one Redis command${when}, an MGET of every key (user:<id> for each id asked): users kept in the code between calls miss every change to their notes`,
      describeRedis(sent),
    );
  }
}

/** The check "costs one MGET, one SQL query and one SET per user filled for 100 ids". */
export async function costOfAHundred(course: Course, read: Read): Promise<void> {
  const mix = await mixOf(course, 100, 'hundred');
  const stores = await course.stores();
  const { result, sql, redis } = await course.watch(() => read(stores, mix.ids));
  demand(
    isDeepStrictEqual(result, expected(mix.ids, mix.users)),
    'the 100 answers in the order asked',
    `ids ${idsOf(result)}`,
  );
  const sent = ownCommands(redis);
  const mgets = sent.filter((c) => c.args[0] === 'MGET');
  const keys = new Set(mix.ids.map(keyOf));
  const others = sent.filter((c) => !['MGET', 'MULTI', 'EXEC'].includes(c.args[0] ?? '') && !writesToAny(c, keys));
  demand(
    mgets.length === 1 && [...keys].every((k) => mgets[0]!.args.includes(k)) && others.length === 0,
    `one MGET of all ${keys.size} distinct keys, and no other read (100 GETs are 100 commands even when they travel together)`,
    `${summary(sent)}`,
  );
  demand(sql.length === 1, 'one SQL query for all 40 misses (30 users and 10 unknown ids)', describeSql(sql));
  const fills = [...mix.users, ...mix.unknown.map((id) => ({ id }))].map((u): [string, number] => [
    keyOf(u.id),
    mix.misses.some((m) => m.id === u.id) ? 1 : 0,
  ]);
  const wrong = fills
    .map(([key, want]): [string, number, ReturnType<typeof writesTo>] => [key, want, valuesPutIn(redis, key)])
    .filter(([, want, writes]) => writes.length !== want);
  demand(
    wrong.length === 0,
    'one SET per user filled: each of the 30 misses written once, no hit written again, nothing for the 10 unknown ids',
    `${wrong.length} key(s) written a wrong number of times:\n  ${describeWrites(wrong.map(([k, , w]) => [k, w]))}`,
  );
}

/** The check "costs as many round trips for 100 ids as for 10". */
export async function sameTripsForTenAndAHundred(course: Course, read: Read): Promise<void> {
  const DELAY = 100;
  const [warm, small, large] = [
    await addMany(course, 2, 'warm'),
    await mixOf(course, 10, 'ten'),
    await mixOf(course, 100, 'hundred'),
  ];
  await cacheUsers(course, [warm[0]!]);
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  proxy.mode = 'slow';
  proxy.delayMs = DELAY;
  // Unmeasured: a script the code loads on its first call is loaded now.
  await callCounting(
    label(warm.map((u) => u.id)),
    () =>
      read(
        stores,
        warm.map((u) => u.id),
      ),
    3000,
    DELAY,
  );
  const measure = async (ids: number[]) => {
    const seen = await course.watch(() => callCounting(label(ids), () => read(stores, ids), 3000, DELAY));
    return { trips: roundTrips(ownCommands(seen.redis), DELAY), sql: seen.sql, ms: seen.result.ms };
  };
  const ten = await measure(small.ids);
  const hundred = await measure(large.ids);
  demand(
    ten.trips.length === hundred.trips.length && ten.sql.length === hundred.sql.length,
    `the same number of round trips for 100 ids as for 10 (hits, misses, unknown ids and repeats in both): one MGET, one query, the fills together`,
    `10 ids: ${describeTrips(ten.trips)}\n  and ${ten.sql.length} SQL statement(s), ${Math.round(ten.ms)} ms;\n` +
      `100 ids: ${describeTrips(hundred.trips)}\n  and ${hundred.sql.length} SQL statement(s), ${Math.round(hundred.ms)} ms`,
  );
}

/** The check "sends the fills of 50 misses together: one wait for Redis, not 50". */
export async function fillsTogether(course: Course, read: Read): Promise<void> {
  const DELAY = 100;
  const users = await addMany(course, 50, 'fifty');
  const ids = users.map((u) => u.id);
  const keys = ids.map(keyOf);
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  proxy.mode = 'slow';
  proxy.delayMs = DELAY;
  const { result, redis } = await course.watch(async () => {
    const done = await callCounting(label(ids), () => read(stores, ids), 3000, DELAY);
    await waitUntil(async () => (await course.redis.exists(keys)) === keys.length, 3000);
    return done;
  });
  const fills = redis.filter((c) => keys.some((k) => valuesPutIn([c], k).length > 0));
  const trips = roundTrips(fills, DELAY);
  demand(
    trips.length === 1 && (await course.redis.exists(keys)) === keys.length,
    `the 50 fills sent together, every one on its way before waiting for any answer: one round trip (Promise.all, commands issued without await between them, or one multi()); see ${LESSON}, "Pipelining"`,
    `${fills.length} fill(s) in ${describeTrips(trips)}\n  (the call took ${Math.round(result.ms)} ms, each reply held back ${DELAY} ms)`,
  );
}
/** Whether a command wrote one of `keys` (a fill), directly or inside a script. */
function writesToAny(c: SeenCommand, keys: Set<string>): boolean {
  return (
    [...keys].some((k) => writesTo([c], k).length > 0) ||
    ['EVAL', 'EVALSHA', 'FCALL', 'SCRIPT'].includes(c.args[0] ?? '')
  );
}
