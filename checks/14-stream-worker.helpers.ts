// Helpers of checks/14-stream-worker.check.ts: what the streams and the group's pending list hold,
// jobs seeded as a dead consumer left them, handlers that record what they were given, and workers
// started with the checks' defaults and stopped after every check. The worker's connections, and
// what Redis saw from them, are in checks/14-stream-worker.lines.ts.
import { randomBytes } from 'node:crypto';
import type { Course } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { learnerConnections } from './harness/redis-clients.ts';
import { call, demand, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/14-stream-worker/worker.ts');
export type Job = Parameters<Module['enqueue']>[2];
export type Worker = Awaited<ReturnType<Module['startWorker']>>;

/** A stream name no other check uses: a worker a failed check could not stop reads another stream. */
export function streamNamed(name: string): string {
  return `${name}-${randomBytes(3).toString('hex')}`;
}

export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** A stream's entries, oldest first ([] when the key is no stream). */
export async function entriesOf(course: Course, key: string): Promise<StreamEntry[]> {
  if ((await course.redis.type(key)) !== 'stream') return [];
  const entries = await course.redis.xRange(key, '-', '+');
  return entries.map((e) => ({ id: e.id, fields: { ...(e.message as Record<string, string>) } }));
}

/** Adds a job the way the README's enqueue does, from the harness (to check the worker alone). */
export async function seed(course: Course, stream: string, job: Job): Promise<string> {
  return course.redis.xAdd(stream, '*', { job: JSON.stringify(job) });
}

export interface Pending {
  id: string;
  consumer: string;
  deliveries: number;
}

/** The group's pending entries ([] when the stream or the group does not exist). */
export async function pendingOf(course: Course, stream: string, group: string): Promise<Pending[]> {
  try {
    const rows = await course.redis.xPendingRange(stream, group, '-', '+', 100);
    return rows.map((r) => ({ id: r.id, consumer: r.consumer, deliveries: Number(r.deliveriesCounter) }));
  } catch {
    return [];
  }
}

export function describePending(pending: Pending[]): string {
  if (pending.length === 0) return 'nothing pending';
  return pending.map((p) => `${p.id} held by "${p.consumer}", delivered ${p.deliveries} time(s)`).join('; ');
}

/** The keys of this file's Redis database, each with its type. */
export async function keysPresent(course: Course): Promise<string> {
  const keys = (await course.redis.keys('*')).filter((k) => k !== OWNER_KEY);
  const described = await Promise.all(keys.map(async (k) => `${k} (${await course.redis.type(k)})`));
  return described.length ? described.join(', ') : 'none';
}

export interface Call {
  consumer: string;
  id: string;
  job: unknown;
  at: number;
}

/** What a recording handler does once it recorded a call: `n` is the job's call number, `job` the object it got. */
export type Behave = (call: Call, n: number, job: Job) => Promise<void>;

/** A handler that records each call; `behave` decides what it does then (wait, throw). */
export function recorder(calls: Call[], consumer: string, behave: Behave = async () => {}) {
  return async (job: Job, id: string): Promise<void> => {
    const call = { consumer, id, job: structuredClone(job), at: performance.now() };
    calls.push(call);
    await behave(call, calls.filter((c) => c.id === id).length, job);
  };
}

/** How many calls each id got, for "Observed:" lines. */
export function callsPerJob(calls: Call[], names: Map<string, string>): string {
  if (calls.length === 0) return 'the handler was never called';
  return calls.map((c) => `${names.get(c.id) ?? c.id} to "${c.consumer}"`).join(', ');
}

/** Workers a check started: stopped after it, each given a bounded time, whatever the check's verdict. */
export const started: Worker[] = [];

export async function stopAll(): Promise<void> {
  const workers = started.splice(0);
  await Promise.allSettled(workers.map((w) => Promise.race([Promise.resolve().then(() => w.stop()), sleep(2000)])));
}

/** Waits until `calls` holds `count` calls (or the time is up); says whether it did. */
export function callsReach(calls: Call[], count: number, limitMs: number): Promise<boolean> {
  return waitUntil(() => calls.length >= count, limitMs);
}

export function showJob(job: unknown): string {
  return show(job, 120);
}

type Options = Parameters<Module['startWorker']>[1];
type Cache = Parameters<Module['startWorker']>[0];

/**
 * Starts workers through the code under check, with the checks' defaults and a recording handler
 * (`behave` decides what it does then); each worker is stopped after the check.
 */
export function starter(course: Course, startWorker: Module['startWorker'], group: string) {
  return async (
    cache: Cache,
    stream: string,
    consumer: string,
    settings: Partial<Omit<Options, 'stream' | 'consumer' | 'handler'>> = {},
    behave?: Behave,
    calls: Call[] = [],
  ) => {
    const options: Options = {
      stream,
      group,
      consumer,
      maxDeliveries: 3,
      claimIdleMs: 1000,
      blockMs: 100,
      ...settings,
      handler: recorder(calls, consumer, behave),
    };
    const { handler: _, ...shown } = options;
    const label = `startWorker(cache, ${show(shown).replace(/ }$/, ', handler }')})`;
    // The connections open before, but the shared client: a worker a failed check could not stop
    // may still hold one.
    const shared = Number(await cache.clientId());
    const before = new Set((await learnerConnections(course)).map((c) => c.id).filter((id) => id !== shared));
    const worker = await call(label, () => startWorker(cache, options));
    demand(typeof worker?.stop === 'function', `${label} to resolve to an object with stop()`, show(worker));
    started.push(worker);
    return { worker, calls, before, shared };
  };
}

/** Waits (up to `limitMs`) for the group's pending list to be empty; returns what it holds then. */
export async function pendingAfter(course: Course, stream: string, group: string, limitMs: number): Promise<Pending[]> {
  let pending: Pending[] = [];
  await waitUntil(async () => (pending = await pendingOf(course, stream, group)).length === 0, limitMs);
  return pending;
}

/** Waits (up to `limitMs`) for a dead letter in `<stream>:dead`, then `settleMs` more for any other. */
export async function deadAfter(course: Course, stream: string, limitMs: number, settleMs: number) {
  await waitUntil(async () => (await entriesOf(course, `${stream}:dead`)).length > 0, limitMs);
  await sleep(settleMs);
  return entriesOf(course, `${stream}:dead`);
}

/** JSON text read back, or undefined when it does not parse. */
export function parsed(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** Labels for ids in "Observed:" lines: "INV-1", "INV-2", … */
export function labels(ids: string[], label = (i: number) => `INV-${i + 1}`): Map<string, string> {
  return new Map(ids.map((id, i) => [id, label(i)]));
}

export async function seedMany(course: Course, stream: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= n; i += 1) ids.push(await seed(course, stream, { invoice: `INV-${i}` }));
  return ids;
}

/** A job a consumer named "gone" was handed (XREADGROUP … >) and never acknowledged: its id. */
export async function heldByTheDead(course: Course, stream: string, group: string, job: Job): Promise<string> {
  await course.redis.xGroupCreate(stream, group, '0', { MKSTREAM: true });
  const id = await seed(course, stream, job);
  await course.redis.xReadGroup(group, 'gone', { key: stream, id: '>' }, { COUNT: 1 });
  return id;
}

/** A job a consumer named "gone" was delivered twice (a read, then a takeover) and never acknowledged. */
export async function deliveredTwice(course: Course, stream: string, group: string, job: Job): Promise<void> {
  const id = await heldByTheDead(course, stream, group, job);
  await course.redis.xClaim(stream, group, 'gone', 0, id);
}

/** startWorker's outcome for a stream whose group cannot be made; a worker it started anyway is stopped after the check. */
export async function startOn(startWorker: Module['startWorker'], cache: Cache, stream: string, group: string) {
  const made = await settle(`startWorker(cache, { stream: "${stream}", … })`, () =>
    startWorker(cache, {
      stream,
      group,
      consumer: 'b',
      handler: async () => {},
      maxDeliveries: 3,
      claimIdleMs: 1000,
      blockMs: 100,
    }),
  );
  if (made.ok) started.push(made.value);
  return made;
}
