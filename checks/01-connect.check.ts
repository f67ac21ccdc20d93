import pg from 'pg';
import { describe, it } from 'vitest';
import type { Stores } from '../lib/stores.ts';
import { exerciseFile } from './harness/course.ts';
import { useCourse } from './harness/course.ts';
import { describeEscaped } from './harness/escaped.ts';
import { urlThrough } from './harness/local-listen.ts';
import { closedPort } from './harness/proxy.ts';
import { call, demand, errorText, errorWith, messagesOf, rejects, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';
import {
  closeQuietly,
  connectThenClose as closing,
  credentialsIn,
  dropEverything,
  isRefusal,
  openAfter,
  redisIdentity,
  rejectsInTime,
  retrying,
  servers,
  silentServer,
  withoutCrash,
} from './01-connect.helpers.ts';

type Module = typeof import('../solutions/01-connect/connect.ts');

const course = useCourse('01');
const { connect } = await course.load<Module>();
const connectThenClose = (env: NodeJS.ProcessEnv) => closing(connect, env);

describe('01 · connect', () => {
  it('takes both addresses from the env it is given, with no credentials in the source', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
    const other = await servers(course);
    const stores = await call('connect(env)', () => connect(env), 8000);
    let second: Stores | undefined;
    try {
      const { rows } = await stores.db.query<{ answer: number }>('SELECT 41 + 1 AS answer');
      demand(rows[0]?.answer === 42, 'stores.db to run SQL on the Postgres named by env.DATABASE_URL', show(rows));
      demand((await stores.cache.ping()) === 'PONG', 'stores.cache to answer PING', 'no PONG');
      demand(
        pgProxy.accepted > 0 && redisProxy.accepted > 0,
        'connections to the Postgres in env.DATABASE_URL and the Redis in env.REDIS_URL (the env argument, not fixed addresses)',
        `${pgProxy.accepted} connection(s) reached that Postgres, ${redisProxy.accepted} that Redis`,
      );
      // The URL carries a user, a password and a database number (/N): the server says which it got.
      const seen = await redisIdentity(stores.cache);
      demand(
        seen.user === course.redisUser && seen.db === course.redisDb,
        `stores.cache logged in as the user REDIS_URL names (${course.redisUser}), on the database it names (/${course.redisDb}): ` +
          'give createClient the whole URL ({ url }), which carries the user, the password and the database number',
        `the server says this connection is user ${seen.user} on database ${seen.db}`,
      );
      second = await call(
        'connect(otherEnv), a second env with other addresses, while the first stores are open',
        () => connect(other.env),
        8000,
      );
      demand(
        second !== stores && other.pgProxy.accepted > 0 && other.redisProxy.accepted > 0,
        "the second call connected to the second env's addresses: every call reads the env it is given and opens clients of its own",
        `${other.pgProxy.accepted} Postgres and ${other.redisProxy.accepted} Redis connection(s) reached them` +
          (second === stores ? '; it returned the very Stores object of the first call' : ''),
      );
    } finally {
      await closeQuietly(second);
      await closeQuietly(stores);
    }
    const leak = credentialsIn(exerciseFile(course.exercise));
    demand(
      !leak,
      'no connection URL or password written in connect.ts: credentials come from the environment',
      `the source contains ${show(leak)}`,
    );
  });

  it('makes one pg.Pool and one Redis client with an error listener', async () => {
    const { pgProxy, redisProxy, env } = await servers(course);
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
      const { idle, escaped } = await dropEverything(stores, pgProxy, redisProxy);
      const left = { pool: stores.db.listenerCount('error'), redis: stores.cache.listenerCount('error') };
      demand(
        escaped.length === 0 && left.pool >= 1 && left.redis >= 1,
        "'error' listeners that stay for the clients' whole life (on, not once): every dropped connection emits 'error' " +
          '(the pool once per idle connection, node-redis once or twice per drop), and an error nobody listens to crashes the process',
        `${idle} idle Postgres connection(s) and the Redis connection dropped: ` +
          (escaped.length
            ? describeEscaped(escaped)
            : `${left.pool} error listener(s) left on the pool and ${left.redis} on the Redis client afterwards`),
      );
    } finally {
      await closeQuietly(stores);
    }
  });

  it('reconnects to Redis by itself once started, when Redis comes back after a restart', () =>
    withoutCrash(async () => {
      const { redisProxy, env } = await servers(course);
      const stores = await call('connect(env)', () => connect(env), 8000);
      try {
        // A restart: the connection drops, and for a second every new one is refused.
        redisProxy.mode = 'refuse';
        redisProxy.cut();
        await sleep(1000);
        const attempts = redisProxy.accepted - 1;
        redisProxy.mode = 'pass';
        const pong = await settle('stores.cache.ping() once Redis is back', () => stores.cache.ping(), 4000);
        demand(
          pong.ok && pong.value === 'PONG',
          'the Redis client to reconnect by itself once Redis is back: the limit on retries is for start-up only ' +
            '(a reconnectStrategy that knows whether connect() has resolved)',
          `${pong.ok ? `it answered ${show(pong.value)}` : `it threw ${errorText(pong.error)}`}, after ${attempts} attempt(s) to reconnect while Redis was down`,
        );
      } finally {
        await closeQuietly(stores);
      }
    }));

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

  it('rejects within seconds when Redis refuses connections, closes the pool and stops retrying', () =>
    withoutCrash(async () => {
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
    }));

  it('rejects at once, with the refusal, when nothing listens on the Redis port', () =>
    withoutCrash(async () => {
      const { env } = await servers(course);
      const port = await closedPort();
      const started = performance.now();
      const error = await rejectsInTime(
        'connect() with REDIS_URL on a port where nothing listens',
        'connection refused is an answer: report it instead of retrying forever',
        connectThenClose({ ...env, REDIS_URL: `redis://127.0.0.1:${port}` }),
        () =>
          'connect() still waiting after 8 s, although every attempt is refused at once: the client retries forever (give socket.reconnectStrategy a limit at start-up: false until connect() has resolved)',
      );
      const seconds = (performance.now() - started) / 1000;
      demand(
        seconds < 2 && isRefusal(error),
        'connect() to reject as soon as Redis refuses, with the refusal (ECONNREFUSED): a refusal is already the answer, ' +
          'so start-up neither tries again until a timer runs out nor replaces the error with another',
        `it rejected after ${seconds.toFixed(1)} s with ${errorText(error)}`,
      );
    }));

  it('rejects within seconds when Redis accepts but never answers', () =>
    withoutCrash(async () => {
      const { pgProxy, env } = await servers(course);
      const silent = await silentServer();
      try {
        const error = await rejectsInTime(
          'connect() with a Redis that never answers',
          'a silent Redis must fail start-up within seconds (socket.connectTimeout, and no endless retries)',
          connectThenClose({ ...env, REDIS_URL: urlThrough(course.redisUrl, silent.port) }),
          () =>
            silent.accepted > 1
              ? retrying(silent)
              : 'the connection was accepted and Redis never answered; connect() still waiting after 8 s: socket.connectTimeout covers opening the socket only, so race cache.connect() against a timer of your own',
        );
        demand(
          /redis/i.test(messagesOf(error)),
          'an error that says what did not answer (Redis did not answer within 3000 ms): your own timer gave up, so its error must say on what',
          errorText(error),
        );
        await waitUntil(() => silent.open === 0, 1500);
        const pgOpen = await openAfter(pgProxy);
        demand(
          silent.open === 0 && pgOpen === 0,
          'nothing left open once connect() has given up: the pool ended, and the Redis client destroyed even though it never became ready ' +
            '(a client still waiting on a silent server keeps its connection, and carries on whenever the server answers)',
          `${silent.open} Redis and ${pgOpen} Postgres connection(s) still open`,
        );
      } finally {
        await silent.close();
      }
    }));

  it('rejects within seconds when Postgres refuses or never answers', () =>
    withoutCrash(async () => {
      const { pgProxy, redisProxy, env } = await servers(course);
      const port = await closedPort();
      const refused = await rejectsInTime(
        'connect() with DATABASE_URL on a port where nothing listens',
        'the pool is lazy: make it connect inside connect() (a query, or db.connect()) so a wrong address fails there',
        connectThenClose({ ...env, DATABASE_URL: `postgres://course@127.0.0.1:${port}/course` }),
        () => 'connect() still waiting after 8 s for a Postgres that refuses every connection',
      );
      demand(
        isRefusal(refused),
        "connect() to reject with pg's own error, the refusal (ECONNREFUSED), not with one the clean-up threw",
        errorText(refused),
      );
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
    }));
});
