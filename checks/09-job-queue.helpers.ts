// Helpers of checks/09-job-queue.check.ts: the jobs, what the lists hold, which commands took a
// job, which connections the learner's code left open, and the faults a check injects (another
// worker acting mid-call, a connection that drops).
import { isDeepStrictEqual } from 'node:util';
import type { Cache } from '../lib/stores.ts';
import type { Course } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { describeConnections, learnerConnections, type RedisConnection } from './harness/redis-clients.ts';
import { SCRIPT_COMMANDS, type SeenCommand } from './harness/redis-monitor.ts';
import { demand, errorText, isTodo, show, whereThrown, type Settled } from './harness/teach.ts';
import { whileItWaits } from './harness/mid-call.ts';
import { uncaughtDuring } from './harness/uncaught.ts';
import { sleep, waitUntil } from './harness/wait.ts';

export type Job = Parameters<typeof import('../solutions/09-job-queue/queue.ts').enqueue>[2];

export const welcome: Job = { type: 'welcome-email', userId: 42, to: 'ada@example.com' };
export const resize: Job = {
  type: 'resize',
  image: { id: 'img-7', sizes: [64, 128, 256] },
  note: 'café ☕, "quoted" \\ slash',
  retry: null,
  urgent: false,
};
export const report: Job = {
  type: 'report',
  month: '2024-05',
  // A string that looks like a date is still a string: JSON has no dates.
  sendAt: '2024-06-01T09:00:00.000Z',
  rows: [{ a: 1 }, { b: [true, 2.5] }],
};

/** The keys of this file's Redis database, each with its type. */
export async function keysPresent(course: Course): Promise<string> {
  const keys = (await course.redis.keys('*')).filter((k) => k !== OWNER_KEY);
  const described = await Promise.all(keys.map(async (k) => `${k} (${await course.redis.type(k)})`));
  return described.length ? described.join(', ') : 'none';
}

/** A list's items from left to right, each parsed as JSON where it parses. */
export async function listed(course: Course, key: string): Promise<unknown[]> {
  if ((await course.redis.type(key)) !== 'list') return [];
  return (await course.redis.lRange(key, 0, -1)).map((raw) => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  });
}

const POPS = new Set(['RPOP', 'LPOP', 'BRPOP', 'BLPOP', 'LMPOP', 'BLMPOP']);
const MOVES = new Set(['LMOVE', 'BLMOVE', 'RPOPLPUSH', 'BRPOPLPUSH']);

/**
 * Each command that took a job out of `queue` without filing it in `<queue>:processing` in the
 * same step: a pop, or a move elsewhere, outside a Lua script and outside MULTI…EXEC.
 */
export function unsafeTakes(commands: SeenCommand[], queue: string): string[] {
  const inMulti = new Set<string>();
  const problems: string[] = [];
  for (const c of commands) {
    const [name = '', ...rest] = c.args;
    if (c.client === 'lua' || SCRIPT_COMMANDS.has(name)) continue;
    if (name === 'MULTI') inMulti.add(c.client);
    else if (name === 'EXEC' || name === 'DISCARD') inMulti.delete(c.client);
    else if (inMulti.has(c.client)) continue;
    else if (POPS.has(name) && rest.includes(queue)) problems.push(c.args.join(' '));
    else if (MOVES.has(name) && rest[0] === queue && rest[1] !== `${queue}:processing`) problems.push(c.args.join(' '));
  }
  return problems;
}

/** Waits until the learner's Redis connections are back to `count` (a reserve closed its duplicate). */
export async function connectionsBackTo(course: Course, count: number): Promise<RedisConnection[]> {
  let seen: RedisConnection[] = [];
  try {
    await waitUntil(async () => (seen = await learnerConnections(course)).length <= count, 1500);
  } catch {
    // reported by the caller, with the connections seen
  }
  return seen;
}

export function describeOutcome(outcome: Settled<unknown>): string {
  if (outcome.ok) return `it resolved after ${Math.round(outcome.ms)} ms to ${show(outcome.value)}`;
  if (isTodo(outcome.error)) return `it threw the stub's own error, ${errorText(outcome.error)}; write the code first`;
  return `it rejected after ${Math.round(outcome.ms)} ms with ${errorText(outcome.error)}${whereThrown(outcome.error)}`;
}

/** The outcome of `run` if it settles within `limitMs`, else undefined (still pending). */
export async function settledWithin<T>(run: () => Promise<T>, limitMs: number): Promise<Settled<T> | undefined> {
  const started = performance.now();
  const outcome = Promise.resolve()
    .then(run)
    .then(
      (value): Settled<T> => ({ ok: true, value, ms: performance.now() - started }),
      (error: unknown): Settled<T> => ({ ok: false, error, ms: performance.now() - started }),
    );
  return Promise.race([outcome, sleep(limitMs).then(() => undefined)]);
}

/** Waits (up to 1.5 s) for a connection of the learner's code blocked in a command (BLMOVE…). */
export async function blockedConnection(course: Course): Promise<RedisConnection | undefined> {
  let blocked: RedisConnection | undefined;
  await waitUntil(
    async () => (blocked = (await learnerConnections(course)).find((c) => c.flags.includes('b'))) !== undefined,
    1500,
    10,
  );
  return blocked;
}

type Reserve = (cache: Cache) => Promise<unknown>;
export interface Dropped {
  uncaught: unknown[];
  /** What reserve did, or undefined if it was still pending `limitMs` later. */
  outcome: Settled<unknown> | undefined;
}

/** Runs `reserve` through a proxy and has the server close its connection once it blocks. */
export async function dropWhileBlocked(course: Course, reserve: Reserve, limitMs: number): Promise<Dropped> {
  const line = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: line.urlFor(course.redisUrl) });
  let outcome: Settled<unknown> | undefined;
  const uncaught = await uncaughtDuring(async () => {
    const pending = settledWithin(() => reserve(stores.cache), limitMs);
    const blocked = await blockedConnection(course);
    if (blocked) await course.redis.sendCommand(['CLIENT', 'KILL', 'ID', String(blocked.id)]);
    outcome = await pending;
  });
  return { uncaught, outcome };
}

/**
 * Runs `reserve` through a proxy of its own that answers nothing to the first connection it
 * makes, and cuts that connection 50 ms later: the drop happens while the client connects.
 */
export async function dropWhileConnecting(course: Course, reserve: Reserve, limitMs: number): Promise<Dropped> {
  const line = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: line.urlFor(course.redisUrl) });
  const accepted = line.accepted;
  line.mode = 'blackhole';
  let outcome: Settled<unknown> | undefined;
  const uncaught = await uncaughtDuring(async () => {
    const pending = settledWithin(() => reserve(stores.cache), limitMs);
    await waitUntil(() => line.accepted > accepted, 1000, 5);
    await sleep(50);
    line.mode = 'pass';
    line.cut();
    outcome = await pending;
  });
  return { uncaught, outcome };
}

/** Fails the check unless the learner's connections are back to `before` (reserve closed its duplicate). */
export async function demandClosed(
  course: Course,
  before: number,
  expected: string,
  prefix = '',
  blockedId?: number,
): Promise<void> {
  // The connection it blocked on must be gone too: one kept in the module for the next call is
  // counted in `before` already, and would otherwise pass unseen.
  let left = await connectionsBackTo(course, before);
  if (blockedId !== undefined && left.some((c) => c.id === blockedId))
    await waitUntil(async () => !(left = await learnerConnections(course)).some((c) => c.id === blockedId), 1000);
  demand(
    left.length <= before && !left.some((c) => c.id === blockedId),
    `${expected} (${before} connection(s) of your code before reserve)`,
    `${prefix}${left.length} connection(s) still open: ${describeConnections(left)}` +
      (blockedId !== undefined && left.some((c) => c.id === blockedId)
        ? `, among them id ${blockedId}, the one reserve blocked on (kept for the next call)`
        : ''),
  );
}

/** Every worker calls `reserve` until it returns null; returns all they were handed, counted by `n`. */
export async function drain(workers: Cache[], reserve: (cache: Cache) => Promise<unknown>) {
  const taken: unknown[] = [];
  await Promise.all(
    workers.map(async (cache) => {
      for (let job = await reserve(cache); job !== null; job = await reserve(cache)) taken.push(job);
    }),
  );
  const counts = new Map<number, number>();
  for (const job of taken) {
    const n = (job as { n?: unknown } | null)?.n;
    if (typeof n === 'number') counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return { taken, counts };
}

/**
 * Runs `ackResize` (ack of resize, in flight with welcome) while another worker's BLMOVE files
 * report in jobs:processing, and demands that report stays: ack removes its own job only.
 */
export async function demandAckAlone(course: Course, ackResize: (cache: Cache) => Promise<void>): Promise<void> {
  const acked = await whileItWaits(
    course,
    'ack(cache, "jobs", resize) while another worker reserves a job',
    ackResize,
    () => course.redis.lPush('jobs:processing', JSON.stringify(report)),
  );
  const during = await listed(course, 'jobs:processing');
  demand(
    acked.ok && during.length === 2 && during.some((j) => isDeepStrictEqual(j, report)),
    `ack to remove its job in one command (LREM), never read the list and write it back: ${show(report, 60)}, filed by another worker's BLMOVE while ack ran, must stay in jobs:processing with ${show(welcome, 60)}`,
    `${acked.ok ? 'ack resolved' : `ack rejected with ${errorText(acked.error)}`}; jobs:processing holds ${show(during)}`,
  );
}
