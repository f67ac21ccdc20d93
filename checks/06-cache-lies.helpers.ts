// Helpers of checks/06-cache-lies.check.ts: how a call ended and when, which keys are there, and a
// hit given three tries, since a deadline of about 100 ms may now and then miss on a loaded machine.
import { now, type Course, type Watched } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { call, errorText, isTodo, settle, show, whereThrown, type Settled } from './harness/teach.ts';
import { sleep } from './harness/wait.ts';
import { quietAfter } from './harness/background.ts';
import type { Stores, User } from '../lib/stores.ts';
import { addUser } from './harness/observe.ts';

/** How a call ended, with its time; a call still pending after `limitMs` is reported, not thrown. */
export async function timed<T>(
  label: string,
  run: () => Promise<T>,
  limitMs = 3000,
): Promise<Settled<T> | { pending: true; ms: number }> {
  try {
    return await settle(label, run, limitMs);
  } catch {
    return { pending: true, ms: limitMs };
  }
}

export function describeOutcome(outcome: Settled<unknown> | { pending: true; ms: number }): string {
  if ('pending' in outcome) return `it was still pending after ${outcome.ms / 1000} s`;
  if (!outcome.ok) {
    if (isTodo(outcome.error))
      return `it threw the stub's own error, ${errorText(outcome.error)}; write the code first`;
    return `it rejected after ${Math.round(outcome.ms)} ms with ${errorText(outcome.error)}${whereThrown(outcome.error)}`;
  }
  return `it resolved after ${Math.round(outcome.ms)} ms to ${show(outcome.value)}`;
}

/** The keys in this exercise's Redis database, without the harness's own owner mark. */
export async function keysPresent(course: Course): Promise<string> {
  return show((await course.redis.keys('*')).filter((k) => k !== OWNER_KEY));
}

/**
 * A deadline of about 100 ms is right, and on a loaded machine a Redis reply can miss it now and then;
 * falling back to Postgres is then correct. So a read that should be a hit gets three tries, and
 * the last is judged: code that never answers from Redis fails all three.
 */
export async function servedByRedis<T>(attempt: () => Promise<Watched<T>>): Promise<Watched<T>> {
  let watched = await attempt();
  for (let i = 1; i < 3 && watched.sql.length > 0; i += 1) {
    await sleep(300); // lets the fallback's own cache write land before the next try sets the stage
    watched = await attempt();
  }
  return watched;
}

/**
 * Runs a call that reads Postgres; returns its answer and how many ms after Postgres's last answer
 * (as the gate saw it go back) the caller had it: Infinity when no statement was answered.
 */
export async function answerAfterPostgres<T>(
  course: Course,
  label: string,
  run: () => Promise<T>,
): Promise<{ result: T; waited: number }> {
  const start = course.sql.length;
  const result = await call(label, run);
  const answeredAt = now();
  const settled = course.sql.slice(start).flatMap((s) => (s.settledAt === undefined ? [] : [s.settledAt]));
  return { result, waited: settled.length ? answeredAt - Math.max(...settled) : Infinity };
}

/** What a call sent to both stores, the answer included, and what it went on sending after it (a query, a write). */
export function callThenQuiet<T>(
  course: Course,
  stores: Stores,
  label: string,
  run: () => Promise<T>,
): Promise<Watched<T>> {
  return course.watch(async () => {
    const result = await call(label, run);
    await quietAfter(stores);
    return result;
  });
}

/** The learner's stores with Redis behind a proxy where every reply takes 2 s. */
export async function slowRedisStores(course: Course): Promise<Stores> {
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  proxy.mode = 'slow';
  proxy.delayMs = 2000;
  return stores;
}

export async function threeUsers(course: Course): Promise<User[]> {
  return [
    await addUser(course, 'Ada Lovelace', 'ada@example.com'),
    await addUser(course, 'Alan Turing', 'alan@example.com'),
    await addUser(course, 'Grace Hopper', 'grace@example.com'),
  ];
}
