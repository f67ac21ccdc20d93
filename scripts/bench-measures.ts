// The measurements `npm run bench` makes: timed commands, a cold container start, and the
// cache-aside latencies of the reference solution, one call at a time and under load.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import { runChecks } from '../tooling/check-run.ts';
import { openScratchSpace } from '../tooling/scratch-space.ts';
import { dockerAvailable, projectRoot, provideServices, type Services } from '../tooling/services.ts';
import { findExercise } from '../manifest.ts';
import { getUser } from '../solutions/04-cache-aside/get-user.ts';
import type { Cache, Stores } from '../lib/stores.ts';

export interface Stats {
  median: number;
  p99: number;
  min: number;
  max: number;
  n: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    median: at(0.5),
    p99: at(0.99),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}

export const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(3)} ms`;
export const line = (label: string, s: Stats) =>
  `  ${label.padEnd(44)} median ${ms(s.median).padStart(9)}   min ${ms(s.min).padStart(9)}   max ${ms(s.max).padStart(9)}   (n=${s.n})`;

/** Wall time of a command, in ms; its exit code does not matter (a stub's checks fail on purpose). */
export function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

export async function cold(): Promise<Record<string, number> | string> {
  if (!(await dockerAvailable())) return 'skipped: no Docker engine answers';
  const env = { ...process.env };
  const started = performance.now();
  let services: Services | undefined;
  try {
    services = await provideServices({ ...env, DATABASE_URL: '', REDIS_URL: '', COURSE_KEEP_SERVICES: '' });
    const containersUp = performance.now() - started;
    const summary = await runChecks({ exercises: [findExercise('04')!], target: 'solutions', print: false, services });
    return { containersUpMs: containersUp, firstVerdictMs: performance.now() - started, checks: summary.passed };
  } catch (error) {
    return `skipped: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await services?.stop();
  }
}

/** Times `calls` calls of `fn`, one at a time; the first tenth only warms the connections. */
export async function oneAtATime(
  calls: number,
  ids: number[],
  fn: (id: number) => Promise<unknown>,
  before?: (id: number) => Promise<unknown>,
): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const id = ids[i % ids.length]!;
    if (before) await before(id);
    const t = performance.now();
    await fn(id);
    samples.push(performance.now() - t);
  }
  return stats(samples.slice(Math.floor(calls / 10)));
}

/**
 * A bare socket to Redis, with no client library at all: `ping()` sends PING and resolves on the
 * answer. Its round trip is the floor under any one-at-a-time read: a hit cannot beat it.
 */
export async function bareSocket(redisUrl: string) {
  const u = new URL(redisUrl);
  const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    ping: () =>
      new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write('PING\r\n');
      }),
    close: () => socket.destroy(),
  };
}

/** Times `calls` calls of `fn` made by `callers` callers at once, as a busy server makes them. */
export async function underLoad(
  callers: number,
  calls: number,
  ids: number[],
  fn: (id: number) => Promise<unknown>,
): Promise<Stats> {
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < calls) {
        const id = ids[(next += 1) % ids.length]!;
        const t = performance.now();
        await fn(id);
        samples.push(performance.now() - t);
      }
    }),
  );
  return stats(samples.slice(Math.floor(calls / 10)));
}

/**
 * The reference getUser against plain clients, as an application holds them: one pg.Pool (its
 * default 10 connections) and one node-redis client, with nothing watching the traffic.
 */
export async function latencies(services: Services, calls: number, callers: number, rounds: number) {
  const scratch = await openScratchSpace(services.postgresUrl, services.redisUrl, `bench${process.pid}`);
  const db = new pg.Pool({ connectionString: scratch.databaseUrl });
  const cache: Cache = createClient({ url: scratch.redisUrl });
  // As an application does: a dropped idle connection is an event to note, not a crash.
  db.on('error', () => {});
  cache.on('error', () => {});
  const stores: Stores = { db, cache, close: async () => {} };
  try {
    await cache.connect();
    const ids: number[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const { rows } = await scratch.admin.query<{ id: number }>(
        'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id',
        [`user ${i}`, `user${i}@example.com`],
      );
      ids.push(rows[0]!.id);
    }
    const readPostgres = (id: number) => db.query('SELECT id, name, email FROM users WHERE id = $1', [id]);
    const read = (id: number) => getUser(stores, id);
    const forget = (id: number) => cache.del(`user:${id}`);
    const fillAll = async () => {
      for (const id of ids) await read(id);
    };

    const bare = await bareSocket(services.redisUrl);
    const results = [];
    for (let round = 0; round < rounds; round += 1) {
      const socket = await oneAtATime(calls, ids, bare.ping);
      const postgres = await oneAtATime(calls, ids, readPostgres);
      const miss = await oneAtATime(calls, ids, read, forget);
      await fillAll();
      const hit = await oneAtATime(calls, ids, read);
      // Longer series under load: one pause of the process delays every caller at once.
      const loaded = {
        postgres: await underLoad(callers, calls * 5, ids, readPostgres),
        hit: await underLoad(callers, calls * 5, ids, read),
      };
      results.push({ socket, hit, miss, postgres, loaded });
    }
    bare.close();
    return results;
  } finally {
    if (cache.isOpen) cache.destroy();
    await db.end();
    await scratch.close();
  }
}
