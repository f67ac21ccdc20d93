import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { describeConnections, learnerConnections } from './harness/redis-clients.ts';
import { call, demand, errorText, rejects, settle, show } from './harness/teach.ts';
import { sleep } from './harness/wait.ts';
import {
  blockedConnection,
  demandAckAlone,
  demandClosed,
  drain,
  type Job,
  describeOutcome,
  dropWhileBlocked,
  dropWhileConnecting,
  keysPresent,
  listed,
  report,
  resize,
  settledWithin,
  unsafeTakes,
  welcome,
} from './09-job-queue.helpers.ts';

type Module = typeof import('../solutions/09-job-queue/queue.ts');

const course = useCourse('09');
const { enqueue, reserve, ack, recover } = await course.load<Module>();

type Cache = Parameters<Module['enqueue']>[0];
const put = (cache: Cache, job: Job) =>
  call(`enqueue(cache, "jobs", ${show(job, 60)})`, () => enqueue(cache, 'jobs', job));
const take = (cache: Cache) => call('reserve(cache, "jobs", 1)', () => reserve(cache, 'jobs', 1));

describe('09 · a reliable job queue', () => {
  it('hands out jobs first in, first out, as the same JSON objects', async () => {
    const stores = await course.stores();
    for (const job of [welcome, resize, report]) await put(stores.cache, job);
    const length = (await course.redis.type('jobs')) === 'list' ? await course.redis.lLen('jobs') : 0;
    demand(
      length === 3,
      "the three jobs waiting in the list `jobs` (the key is the queue's name)",
      `keys present: ${await keysPresent(course)}`,
    );
    const layout = await listed(course, 'jobs');
    demand(
      isDeepStrictEqual(layout, [report, resize, welcome]),
      'new jobs added on the left of `jobs` (LPUSH): from left to right, the newest job first and the oldest at the right end, where reserve takes it',
      `jobs holds, from left to right: ${layout.map((j) => show(j, 80)).join(' | ')}`,
    );
    const got: unknown[] = [];
    for (let i = 0; i < 3; i += 1) got.push(await take(stores.cache));
    demand(
      isDeepStrictEqual(got, [welcome, resize, report]),
      'the jobs back in the order they were enqueued (first in, first out: LPUSH on the left, take from the right), each deep-equal to what went in (JSON.parse with no reviver: a string that looks like a date stays a string)',
      `reserve returned, in order: ${got.map((j) => show(j, 120)).join(' | ')}`,
    );
  });

  it('keeps a reserved job in <queue>:processing until ack removes it', async () => {
    const stores = await course.stores();
    await put(stores.cache, welcome);
    await put(stores.cache, resize);
    const { result: job, redis } = await course.watch(() => take(stores.cache));
    demand(isDeepStrictEqual(job, welcome), `the oldest job, ${show(welcome)}`, show(job));
    const unsafe = unsafeTakes(redis, 'jobs');
    demand(
      unsafe.length === 0,
      'the job taken from `jobs` and filed in jobs:processing by one command (BLMOVE jobs jobs:processing RIGHT LEFT): between a pop and a separate push, the job exists only in the worker, and a crash loses it',
      `${unsafe[0]} took it on its own.\n        All commands: ${describeRedis(redis).replace(/\n/g, '\n        ')}`,
    );
    const processing = await listed(course, 'jobs:processing');
    demand(
      processing.length === 1 && isDeepStrictEqual(processing[0], welcome),
      "the reserved job filed in the list jobs:processing, in the same atomic step that took it (BLMOVE): a job popped with RPOP or BRPOP exists only in the worker's memory, and a crash before it is done loses it",
      `jobs:processing holds ${show(processing)}; keys present: ${await keysPresent(course)}`,
    );
    const waiting = await listed(course, 'jobs');
    demand(
      waiting.length === 1 && isDeepStrictEqual(waiting[0], resize),
      'only the other job left waiting in `jobs`',
      `jobs holds ${show(waiting)}`,
    );
    await call('ack(cache, "jobs", job)', () => ack(stores.cache, 'jobs', job as Job));
    const after = await listed(course, 'jobs:processing');
    demand(
      after.length === 0,
      'ack to remove the finished job from jobs:processing',
      `jobs:processing still holds ${show(after)}`,
    );
    const still = await listed(course, 'jobs');
    demand(still.length === 1, 'ack to leave the waiting job alone', `jobs holds ${show(still)}`);
    // Two identical jobs in flight and a third still waiting: one ack finishes one of those in flight.
    for (let i = 0; i < 2; i += 1) await put(stores.cache, welcome);
    for (let i = 0; i < 3; i += 1) await take(stores.cache);
    await put(stores.cache, welcome);
    await call('ack(cache, "jobs", welcome) with two copies of it in flight', () => ack(stores.cache, 'jobs', welcome));
    const left = await listed(course, 'jobs:processing');
    demand(
      left.length === 2 &&
        left.filter((j) => isDeepStrictEqual(j, welcome)).length === 1 &&
        left.some((j) => isDeepStrictEqual(j, resize)),
      'ack to remove exactly one copy of the job (LREM … 1), and nothing else: with two identical jobs and another in flight, one ack leaves the other two',
      `jobs:processing holds ${show(left)}`,
    );
    const queued = await listed(course, 'jobs');
    demand(
      isDeepStrictEqual(queued, [welcome]),
      `ack to leave \`jobs\` alone: the identical ${show(welcome)} still waiting there is another job, done in its turn`,
      `jobs holds ${show(queued)}`,
    );
    // Another worker files a job in jobs:processing while ack runs: ack removes its own job only.
    await demandAckAlone(course, (cache) => ack(cache, 'jobs', resize));
  });

  it('recover puts every un-acked job back in the queue and says how many', async () => {
    const stores = await course.stores();
    for (const job of [welcome, resize, report]) await put(stores.cache, job);
    // Two workers take a job each, then crash before ack.
    await take(stores.cache);
    await take(stores.cache);
    const inFlight = await listed(course, 'jobs:processing');
    demand(
      isDeepStrictEqual(inFlight, [resize, welcome]),
      'the two reserved, un-acked jobs in jobs:processing, each filed at its left (the latest reservation first)',
      `jobs:processing holds, from left to right, ${show(inFlight)}; keys present: ${await keysPresent(course)}`,
    );
    const moved = await call('recover(cache, "jobs")', () => recover(stores.cache, 'jobs'));
    demand(moved === 2, 'recover to return 2, the number of jobs it put back', show(moved));
    const left = await listed(course, 'jobs:processing');
    demand(left.length === 0, 'jobs:processing empty after recover', `it still holds ${show(left)}`);
    const got: unknown[] = [];
    for (let i = 0; i < 3; i += 1) got.push(await take(stores.cache));
    const missing = [welcome, resize, report].filter((job) => !got.some((g) => isDeepStrictEqual(g, job)));
    demand(
      missing.length === 0,
      'all three jobs handed out again after recover: a job in flight is never lost',
      `missing: ${missing.map((j) => show(j, 80)).join(' | ')}; reserve returned ${got.map((j) => show(j, 80)).join(' | ')}`,
    );
    demand(
      isDeepStrictEqual(got[2], report),
      `the recovered jobs back at the front of the queue (its right end), handed out before ${show(report)}, which was still waiting`,
      `reserve returned, in order: ${got.map((j) => show(j, 80)).join(' | ')}`,
    );
    const none = await call(
      'recover(cache, "jobs") with jobs:processing holding the 3 new reservations, after acking them',
      async () => {
        for (const job of got) await ack(stores.cache, 'jobs', job as Job);
        return recover(stores.cache, 'jobs');
      },
    );
    demand(none === 0, 'recover to return 0 when every job was acknowledged', show(none));
  });

  it('waits for a job up to the timeout, then returns null', async () => {
    const stores = await course.stores();
    const empty = await settle('reserve(cache, "jobs", 1), empty queue', () => reserve(stores.cache, 'jobs', 1), 5000);
    demand(
      empty.ok && empty.value === null && empty.ms >= 700 && empty.ms <= 3000,
      'reserve(cache, "jobs", 1) on an empty queue to wait about 1 s (the timeout) and then return null: a blocking BLMOVE with that timeout, not an immediate answer',
      describeOutcome(empty),
    );
    const half = await settledWithin(() => reserve(stores.cache, 'jobs', 0.5), 2500);
    // A BLMOVE that waits for ever is given a job, so that it ends.
    if (half === undefined) await course.redis.lPush('jobs', JSON.stringify({ type: 'release' }));
    demand(
      half?.ok === true && half.value === null && half.ms >= 300 && half.ms <= 2000,
      'reserve(cache, "jobs", 0.5) on an empty queue to return null after about half a second: BLMOVE takes its timeout in seconds as a decimal number, and 0 (half a second rounded down) means wait for ever',
      half === undefined ? 'it had not returned 2.5 s later' : describeOutcome(half),
    );
    await course.redis.del(['jobs', 'jobs:processing']);
    const waiting = settle(
      'reserve(cache, "jobs", 3) while a job arrives after 300 ms',
      () => reserve(stores.cache, 'jobs', 3),
      6000,
    );
    await sleep(300);
    await course.redis.lPush('jobs', JSON.stringify(welcome));
    const arrived = await waiting;
    demand(
      arrived.ok && isDeepStrictEqual(arrived.value, welcome) && arrived.ms < 2500,
      `a reserve that is waiting to hand out ${show(welcome)} as soon as it is enqueued, long before its 3 s timeout`,
      describeOutcome(arrived),
    );
    await course.redis.set('jobs', 'not a list');
    await rejects(
      'reserve(cache, "jobs", 1) while the key jobs holds a string',
      'null means only that no job came in time; an error from Redis (here WRONGTYPE) must reach the caller, or a broken queue looks empty',
      () => reserve(stores.cache, 'jobs', 1),
    );
  });

  it('blocks on a connection of its own, so the shared client stays responsive', async () => {
    const stores = await course.stores();
    const sharedId = Number(await stores.cache.clientId());
    const before = (await learnerConnections(course)).length;
    const pending = settle('reserve(cache, "jobs", 2) on an empty queue', () => reserve(stores.cache, 'jobs', 2), 6000);
    const blocked = await blockedConnection(course);
    const seen = await learnerConnections(course);
    const ping = await settle('cache.ping() on the shared client while reserve waits', () => stores.cache.ping(), 4000);
    const outcome = await pending;
    demand(
      outcome.ok,
      'reserve(cache, "jobs", 2) on an empty queue to return null after 2 s',
      describeOutcome(outcome),
    );
    demand(
      blocked !== undefined,
      'a connection blocked in BLMOVE while reserve waits for a job on an empty queue',
      `no connection of your code was blocked; its connections: ${describeConnections(seen)}`,
    );
    demand(
      blocked.id !== sharedId,
      'the blocking BLMOVE on a connection of its own (cache.duplicate()), not on the shared client: a blocked connection can do nothing else, so every other command of the application would wait behind it',
      `${blocked.cmd.toUpperCase()} blocked the shared client itself (CLIENT ID ${sharedId}); connections: ${describeConnections(seen)}`,
    );
    demand(
      ping.ok && ping.ms < 1000,
      'the shared client to answer PING within a second while reserve waits for 2 s',
      ping.ok ? `PING took ${Math.round(ping.ms)} ms` : `PING failed: ${errorText(ping.error)}`,
    );
    demand(outcome.value === null, 'null after the timeout, since no job came', show(outcome.value));
    const closed = 'the duplicate closed';
    await demandClosed(
      course,
      before,
      `${closed} when reserve returns null after its timeout: every idle worker loop would leave one more connection open`,
      '',
      blocked.id,
    );
    await course.redis.lPush('jobs', JSON.stringify(welcome));
    await take(stores.cache);
    await demandClosed(course, before, `${closed} when reserve hands out a job: close it in a finally`);
    await course.redis.set('jobs', 'not a list');
    const failed = await settle('reserve(cache, "jobs", 1) while jobs holds a string', () =>
      reserve(stores.cache, 'jobs', 1),
    );
    await demandClosed(
      course,
      before,
      `${closed} when BLMOVE fails too (here WRONGTYPE: the key jobs holds a string): close it in a finally, or a worker that retries after errors leaves a connection behind each time`,
      `reserve ${failed.ok ? `resolved to ${show(failed.value)}` : `rejected with ${errorText(failed.error)}`}; `,
    );
  });

  it('survives its connection dropping: an error listener of its own, for every error', async () => {
    const lost = await dropWhileBlocked(course, (cache) => reserve(cache, 'jobs', 2), 3500);
    demand(
      lost.uncaught.length === 0,
      "an 'error' listener on the duplicate: it inherits none from cache, and a client whose connection drops with no listener throws, which ends the process",
      `when the server closed reserve's connection, this went uncaught: ${lost.uncaught.map(errorText).join('; ')}`,
    );
    demand(
      lost.outcome !== undefined,
      'reserve to settle once its connection is lost (it rejects: a job BLMOVE had moved waits in jobs:processing for recover)',
      'it was still pending 3.5 s later',
    );
    await course.redis.lPush('jobs', JSON.stringify(welcome));
    const { uncaught, outcome } = await dropWhileConnecting(course, (cache) => reserve(cache, 'jobs', 2), 3000);
    demand(
      uncaught.length === 0 && outcome?.ok === true && isDeepStrictEqual(outcome.value, welcome),
      `reserve to hand out ${show(welcome)} though the duplicate's first connection dropped while it connected: node-redis connects again by itself as long as every 'error' it emits finds a listener (on('error', …), not once: the drop emits one error, the failed connect another)`,
      uncaught.length > 0
        ? `this went uncaught: ${uncaught.map(errorText).join('; ')}`
        : outcome === undefined
          ? 'reserve was still pending 3 s later'
          : describeOutcome(outcome),
    );
  });

  it('never hands one job to two workers', async () => {
    const jobs: Job[] = Array.from({ length: 60 }, (_, n) => ({ type: 'work', n }));
    const seeding = await course.stores();
    for (const job of jobs) await put(seeding.cache, job);
    // Six workers in three processes' worth of clients, all reserving at once until the queue is dry.
    const clients = await Promise.all([1, 2, 3].map(() => course.stores()));
    const { taken: got, counts } = await call(
      '6 workers calling reserve(cache, "jobs", 1) concurrently until it returns null',
      () =>
        drain(
          [...clients, ...clients].map((s) => s.cache),
          (cache) => reserve(cache, 'jobs', 1),
        ),
      15_000,
    );
    const twice = [...counts].filter(([, c]) => c > 1).map(([n]) => n);
    demand(
      twice.length === 0,
      'each job handed to exactly one worker: take it in one atomic command (BLMOVE), never read it and remove it in two steps',
      `jobs handed out more than once: n = ${twice.slice(0, 10).join(', ')} (${got.length} reservations for 60 jobs)`,
    );
    const lost = jobs.filter((j) => !counts.has(j.n as number)).map((j) => j.n);
    demand(
      lost.length === 0,
      'every one of the 60 jobs handed out',
      `never handed out: n = ${lost.slice(0, 10).join(', ')}; keys present: ${await keysPresent(course)}`,
    );
  });
});
