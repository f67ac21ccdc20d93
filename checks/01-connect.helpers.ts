// What the checks of exercise 01 share: proxies in front of both servers, connections counted
// through them, stores closed whatever the code under check did, deadlines that say why.
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { Stores } from '../lib/stores.ts';
import type { Course } from './harness/course.ts';
import { describeEscaped, escapedDuring } from './harness/escaped.ts';
import { listenLocally } from './harness/local-listen.ts';
import type { Proxy } from './harness/proxy.ts';
import { CheckFailure, rejects, settle } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

type Connect = (env: NodeJS.ProcessEnv) => Promise<Stores>;

/** Proxies to this file's Postgres and Redis, so the check sees every connection the code opens. */
export async function servers(c: Course) {
  const pgProxy = await c.proxy('postgres');
  const redisProxy = await c.proxy('redis');
  return {
    pgProxy,
    redisProxy,
    env: { DATABASE_URL: pgProxy.urlFor(c.databaseUrl), REDIS_URL: redisProxy.urlFor(c.redisUrl) },
  };
}

/** Waits (up to `ms`) for the connections through a proxy to drop to zero; returns how many stay open. */
export async function openAfter(proxy: Proxy, ms = 1500): Promise<number> {
  await waitUntil(() => proxy.open === 0, ms);
  return proxy.open;
}

export async function closeQuietly(stores: Stores | undefined): Promise<void> {
  if (stores) await settle('close()', () => stores.close(), 3000).catch(() => {});
}

/** connect(env) for a check that demands a rejection: stores it resolves with anyway are closed at once. */
export function connectThenClose(connect: Connect, env: NodeJS.ProcessEnv) {
  return async () => {
    await closeQuietly(await connect(env));
    return 'a Stores object (the check closed it again)';
  };
}

/**
 * Demands that `run` rejects within 8 s; when it is still pending, the failure says why in `cause`
 * (what the proxy saw), instead of a bare "still pending".
 */
export async function rejectsInTime(label: string, why: string, run: () => Promise<unknown>, cause: () => string) {
  try {
    return await rejects(label, why, run, undefined, 8000);
  } catch (error) {
    if (error instanceof CheckFailure && error.message.startsWith(`Expected: ${label} to settle`)) {
      throw new CheckFailure(`Expected: ${label} to reject within seconds: ${why}\nObserved: ${cause()}`);
    }
    throw error;
  }
}

export const retrying = (proxy: Pick<Proxy, 'accepted'>) =>
  proxy.accepted > 1
    ? `${proxy.accepted} connection attempts, and connect() still waiting after 8 s: the client retries forever (node-redis's default reconnectStrategy); give socket.reconnectStrategy a limit at start-up (false until connect() has resolved)`
    : `connect() still waiting after 8 s, with ${proxy.accepted} connection attempt(s)`;

/**
 * Runs a check's body and fails it when the code under check let an error escape meanwhile: a
 * client that emits 'error' with no listener throws it out of its socket's events, and a real
 * application would end there.
 */
export async function withoutCrash(body: () => Promise<void>): Promise<void> {
  const { outcome, escaped } = await escapedDuring(body, 200);
  if (escaped.length > 0) {
    throw new CheckFailure(
      "Expected: an 'error' listener on the pool and on the Redis client from the moment each is made (before connect()): " +
        "a failed or dropped connection emits 'error', and an 'error' nobody listens to crashes the process\n" +
        `Observed: ${describeEscaped(escaped)}`,
    );
  }
  if (outcome.threw) throw outcome.error;
}

/** Who the server says a Redis connection is: the user it logged in as, and the database it uses. */
export async function redisIdentity(cache: Stores['cache']): Promise<{ user: string; db: number }> {
  const info = String(await cache.sendCommand(['CLIENT', 'INFO']));
  return { user: /\buser=(\S+)/.exec(info)?.[1] ?? '?', db: Number(/\bdb=(\d+)/.exec(info)?.[1] ?? -1) };
}

/**
 * A server that accepts connections, reads all it is sent and never answers: a Redis that hangs.
 * It sees a connection end as soon as the client closes it, and counts those still open.
 */
export async function silentServer() {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listenLocally(server);
  return {
    port,
    get open() {
      return sockets.size;
    },
    get accepted() {
      return accepted;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether `error` (or what it wraps) is a refused connection, ECONNREFUSED. */
export function isRefusal(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const e = error as Error & { code?: unknown; errors?: unknown[]; originalError?: unknown; socketError?: unknown };
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)) return true;
  return [e.cause, e.originalError, e.socketError, ...(e.errors ?? [])].some((inner) => isRefusal(inner, depth + 1));
}

/** A connection URL or a password written in the source file, if there is one. */
export function credentialsIn(file: string): string | undefined {
  const source = readFileSync(file, 'utf8');
  return /\b(?:postgres(?:ql)?|rediss?):\/\/[^\s'"`]*|password\s*[:=]\s*['"`][^'"`]+['"`]/i.exec(source)?.[0];
}

/**
 * Gives the pool two idle connections, then drops them and the Redis connection at once (each
 * drop emits 'error'); returns how many idle connections dropped and what escaped meanwhile.
 */
export async function dropEverything(stores: Stores, pgProxy: Proxy, redisProxy: Proxy) {
  await Promise.all([1, 2].map(() => stores.db.query('SELECT pg_sleep(0.05)')));
  const idle = stores.db.idleCount;
  const { escaped } = await escapedDuring(async () => {
    pgProxy.cut();
    redisProxy.cut();
    await waitUntil(() => stores.db.totalCount === 0, 1500);
    // Redis drops a second time once the client is back: a listener added with once() is gone by
    // then, and node-redis may emit one error per drop.
    if (await waitUntil(() => stores.cache.isReady, 3000)) {
      redisProxy.cut();
      await waitUntil(() => !stores.cache.isReady, 500);
    }
  }, 300);
  return { idle, escaped };
}
