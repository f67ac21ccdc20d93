import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, it } from 'vitest';
import type { Stores } from '../lib/stores.ts';
import { exerciseFile, type Course } from './harness/course.ts';
import { useCourse } from './harness/course.ts';
import { closedPort, type Proxy } from './harness/proxy.ts';
import { call, CheckFailure, demand, errorText, errorWith, rejects, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/01-connect/connect.ts');

const course = useCourse('01');
const { connect } = await course.load<Module>();

/** Proxies to this file's Postgres and Redis, so the check sees every connection the code opens. */
async function servers(c: Course) {
  const pgProxy = await c.proxy('postgres');
  const redisProxy = await c.proxy('redis');
  return {
    pgProxy,
    redisProxy,
    env: { DATABASE_URL: pgProxy.urlFor(c.databaseUrl), REDIS_URL: redisProxy.urlFor(c.redisUrl) },
  };
}

/** Waits (up to `ms`) for the connections through a proxy to drop to zero; returns how many stay open. */
async function openAfter(proxy: Proxy, ms = 1500): Promise<number> {
  await waitUntil(() => proxy.open === 0, ms);
  return proxy.open;
}

async function closeQuietly(stores: Stores | undefined): Promise<void> {
  if (stores) await settle('close()', () => stores.close(), 3000).catch(() => {});
}

/** connect(env) for a check that demands a rejection: stores it resolves with anyway are closed at once. */
function connectThenClose(env: NodeJS.ProcessEnv) {
  return async () => {
    await closeQuietly(await connect(env));
    return 'a Stores object (the check closed it again)';
  };
}

/**
 * Demands that `run` rejects within 8 s; when it is still pending, the failure says why in `cause`
 * (what the proxy saw), instead of a bare "still pending".
 */
async function rejectsInTime(label: string, why: string, run: () => Promise<unknown>, cause: () => string) {
  try {
    return await rejects(label, why, run, undefined, 8000);
  } catch (error) {
    if (error instanceof CheckFailure && error.message.startsWith(`Expected: ${label} to settle`)) {
      throw new CheckFailure(`Expected: ${label} to reject within seconds: ${why}\nObserved: ${cause()}`);
    }
    throw error;
  }
}

const retrying = (proxy: Proxy) =>
  proxy.accepted > 1
    ? `${proxy.accepted} connection attempts, and connect() still waiting after 8 s: the client retries forever (node-redis's default reconnectStrategy); give socket.reconnectStrategy a limit, or false`
    : `connect() still waiting after 8 s, with ${proxy.accepted} connection attempt(s)`;

describe('01 · connect', () => {
  it('takes both addresses from the env it is given, with no credentials in the source', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
    const stores = await call('connect(env)', () => connect(env), 8000);
    try {
      const { rows } = await stores.db.query<{ answer: number }>('SELECT 41 + 1 AS answer');
      demand(rows[0]?.answer === 42, 'stores.db to run SQL on the Postgres named by env.DATABASE_URL', show(rows));
      demand((await stores.cache.ping()) === 'PONG', 'stores.cache to answer PING', 'no PONG');
      demand(
        pgProxy.accepted > 0,
        'a connection to the Postgres in env.DATABASE_URL (the env argument, not a fixed address)',
        'no connection reached it',
      );
      demand(
        redisProxy.accepted > 0,
        'a connection to the Redis in env.REDIS_URL (the env argument, not a fixed address)',
        'no connection reached it',
      );
    } finally {
      await closeQuietly(stores);
    }
    const source = readFileSync(exerciseFile(course.exercise), 'utf8');
    const leak = /\b(?:postgres(?:ql)?|rediss?):\/\/[^\s'"`]*|password\s*[:=]\s*['"`][^'"`]+['"`]/i.exec(source);
    demand(
      !leak,
      'no connection URL or password written in connect.ts: credentials come from the environment',
      `the source contains ${show(leak?.[0])}`,
    );
  });

  it('makes one pg.Pool and one Redis client with an error listener', async () => {
    const { redisProxy, env } = await servers(course);
    const stores = await call('connect(env)', () => connect(env), 8000);
    try {
      demand(
        stores.db instanceof pg.Pool,
        'stores.db to be a pg.Pool (one pool, shared by the whole application)',
        `${stores.db?.constructor?.name ?? typeof stores.db}`,
      );
      demand(
        stores.cache?.isReady === true,
        'stores.cache to be a connected node-redis client',
        `isReady = ${show(stores.cache?.isReady)}`,
      );
      const listeners = stores.cache.listenerCount('error');
      demand(
        listeners >= 1,
        "an 'error' listener on the Redis client (without one, a dropped connection crashes the process)",
        `${listeners} error listeners`,
      );
      demand(
        redisProxy.open === 1,
        'exactly one connection to Redis (one client, made once)',
        `${redisProxy.open} open connections`,
      );
    } finally {
      await closeQuietly(stores);
    }
  });

  it('close() ends both clients and leaves no connection open', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
    const stores = await call('connect(env)', () => connect(env), 8000);
    await call('stores.close()', () => stores.close());
    const pgOpen = await openAfter(pgProxy);
    const redisOpen = await openAfter(redisProxy);
    demand(
      pgOpen === 0 && redisOpen === 0,
      'no connection left open after close()',
      `${pgOpen} Postgres and ${redisOpen} Redis connection(s) still open`,
    );
    demand(stores.cache.isOpen === false, 'the Redis client closed', 'stores.cache.isOpen is still true');
  });

  it('rejects naming DATABASE_URL when it is missing or empty, and opens nothing', async () => {
    const { redisProxy, env } = await servers(course);
    await rejects(
      'connect({ REDIS_URL })',
      'DATABASE_URL is missing',
      connectThenClose({ REDIS_URL: env.REDIS_URL }),
      errorWith('DATABASE_URL', 'an error whose message names DATABASE_URL'),
    );
    await rejects(
      "connect({ DATABASE_URL: '', REDIS_URL })",
      'an empty DATABASE_URL is missing too (pg would quietly fall back to its own defaults)',
      connectThenClose({ DATABASE_URL: '', REDIS_URL: env.REDIS_URL }),
      errorWith('DATABASE_URL', 'an error whose message names DATABASE_URL'),
      8000,
    );
    const open = await openAfter(redisProxy);
    demand(open === 0, 'nothing left open when connect() rejects', `${open} Redis connection(s) still open`);
  });

  it('rejects naming REDIS_URL when it is missing or empty, and opens nothing', async () => {
    const { pgProxy, env } = await servers(course);
    await rejects(
      'connect({ DATABASE_URL })',
      'REDIS_URL is missing',
      connectThenClose({ DATABASE_URL: env.DATABASE_URL }),
      errorWith('REDIS_URL', 'an error whose message names REDIS_URL'),
    );
    await rejects(
      "connect({ DATABASE_URL, REDIS_URL: '' })",
      'an empty REDIS_URL is missing too (node-redis would quietly fall back to localhost:6379)',
      connectThenClose({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: '' }),
      errorWith('REDIS_URL', 'an error whose message names REDIS_URL'),
      8000,
    );
    const open = await openAfter(pgProxy);
    demand(open === 0, 'nothing left open when connect() rejects', `${open} Postgres connection(s) still open`);
  });

  it('rejects within seconds when Redis refuses connections, closes the pool and stops retrying', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
    redisProxy.mode = 'refuse';
    await rejectsInTime(
      'connect() with a Redis that drops every connection',
      'an unreachable Redis must fail start-up, not retry forever (give socket.reconnectStrategy a limit)',
      connectThenClose(env),
      () => retrying(redisProxy),
    );
    const open = await openAfter(pgProxy);
    demand(
      open === 0,
      'the pool ended when Redis could not be reached (close what you opened)',
      `${open} Postgres connection(s) still open`,
    );
    const tries = redisProxy.accepted;
    await sleep(1200);
    demand(
      redisProxy.accepted === tries,
      'no more connection attempts once connect() has rejected (destroy the Redis client you made)',
      `the client went on trying: ${redisProxy.accepted - tries} more attempt(s) in the next 1.2 s`,
    );
  });

  it('rejects within seconds when nothing listens on the Redis port', async () => {
    const { env } = await servers(course);
    const port = await closedPort();
    await rejectsInTime(
      'connect() with REDIS_URL on a port where nothing listens',
      'connection refused is an answer: report it instead of retrying forever',
      connectThenClose({ ...env, REDIS_URL: `redis://127.0.0.1:${port}` }),
      () =>
        'connect() still waiting after 8 s, although every attempt is refused at once: the client retries forever (give socket.reconnectStrategy a limit, or false)',
    );
  });

  it('rejects within seconds when Redis accepts but never answers', async () => {
    const { redisProxy, env } = await servers(course);
    redisProxy.mode = 'blackhole';
    await rejectsInTime(
      'connect() with a Redis that never answers',
      'a silent Redis must fail start-up within seconds (socket.connectTimeout, and no endless retries)',
      connectThenClose(env),
      () =>
        redisProxy.accepted > 1
          ? retrying(redisProxy)
          : 'the connection was accepted and Redis never answered; connect() still waiting after 8 s: socket.connectTimeout covers opening the socket only, so race cache.connect() against a timer of your own',
    );
  });

  it('rejects within seconds when Postgres refuses or never answers', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
    const port = await closedPort();
    const refused = await rejectsInTime(
      'connect() with DATABASE_URL on a port where nothing listens',
      'the pool is lazy: run a query inside connect() so a wrong address fails there',
      connectThenClose({ ...env, DATABASE_URL: `postgres://course@127.0.0.1:${port}/course` }),
      () => 'connect() still waiting after 8 s for a Postgres that refuses every connection',
    );
    demand(!/TODO/.test(errorText(refused)), 'a connection error', errorText(refused));
    pgProxy.mode = 'blackhole';
    await rejectsInTime(
      'connect() with a Postgres that never answers',
      'a silent Postgres must fail start-up within seconds (connectionTimeoutMillis)',
      connectThenClose(env),
      () =>
        `Postgres accepted ${pgProxy.accepted} connection(s) and never answered; connect() still waiting after 8 s: pg waits forever unless the pool has connectionTimeoutMillis`,
    );
    const open = await openAfter(redisProxy);
    demand(
      open === 0,
      'the Redis client closed when Postgres could not be reached',
      `${open} Redis connection(s) still open`,
    );
  });
});
