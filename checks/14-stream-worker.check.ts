import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { describeConnections, learnerConnections } from './harness/redis-clients.ts';
import { call, demand, errorText, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';
import * as h from './14-stream-worker.helpers.ts';
import * as l from './14-stream-worker.lines.ts';
import * as v from './14-stream-worker.verdicts.ts';
import type { Call, Job } from './14-stream-worker.helpers.ts';

type Module = typeof import('../solutions/14-stream-worker/worker.ts');

const course = useCourse('14');
const { enqueue, startWorker } = await course.load<Module>();
afterEach(h.stopAll);

const GROUP = 'senders';
const start = h.starter(course, startWorker, GROUP);
const invoice: Job = { invoice: 'INV-7', to: 'ada@example.com', lines: [{ sku: 'tea', qty: 2 }], paid: false };

describe('14 · a stream worker that survives a crash', () => {
  it('enqueue adds one entry, the job as JSON in its `job` field, and returns its id', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const { result: id, redis } = await course.watch(() =>
      call(`enqueue(cache, "${mail}", ${h.showJob(invoice)})`, () => enqueue(stores.cache, mail, invoice)),
    );
    const entries = await h.entriesOf(course, mail);
    demand(
      entries.length === 1,
      `one entry in the stream "${mail}" (the key is the stream's name): XADD ${mail} … * job <json>`,
      `keys present: ${await h.keysPresent(course)}; commands: ${describeRedis(redis)}`,
    );
    const { fields, id: stored } = entries[0]!;
    demand(
      Object.keys(fields).length === 1 && isDeepStrictEqual(h.parsed(fields.job), invoice),
      `the entry's one field, job, holding JSON.stringify(job): ${JSON.stringify(invoice)}`,
      `the entry's fields: ${show(fields)}`,
    );
    demand(id === stored, `enqueue to return the id Redis gave the entry, "${stored}"`, show(id));
  });

  it('hands every job to the handler, deep-equal, with its id, in order, those enqueued before it started included', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const jobs: Job[] = [
      invoice,
      { invoice: 'INV-8', note: 'café ☕, "quoted"', retry: null },
      { invoice: 'INV-9', due: '2026-07-01T09:00:00.000Z' },
    ];
    const ids = [await h.seed(course, mail, jobs[0]!), await h.seed(course, mail, jobs[1]!)];
    const { calls } = await start(stores.cache, mail, 'a');
    ids.push(await h.seed(course, mail, jobs[2]!));
    await h.callsReach(calls, 3, 3000);
    await sleep(200);
    v.judgeOrder(calls, ids, jobs);
  });

  it('startWorker rejects when the group cannot be made, and takes BUSYGROUP in its stride', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    await course.redis.xGroupCreate(mail, GROUP, '0', { MKSTREAM: true });
    const { worker } = await start(stores.cache, mail, 'a');
    demand(typeof worker.stop === 'function', 'startWorker to resolve when the group exists already', show(worker));
    const taken = h.streamNamed('taken');
    await course.redis.set(taken, 'not a stream');
    const made = await h.startOn(startWorker, stores.cache, taken, GROUP);
    demand(
      !made.ok,
      `startWorker to reject when XGROUP CREATE fails with anything but BUSYGROUP (here ${taken} holds a string: WRONGTYPE): it resolves only once the group exists`,
      'it resolved, with no group to read from',
    );
  });

  it('acknowledges a job once its handler resolved, and an acknowledged job never comes back', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const ids = await h.seedMany(course, mail, 4);
    let inHand = await h.pendingOf(course, mail, GROUP);
    const { worker: a, calls } = await start(stores.cache, mail, 'a', { claimIdleMs: 2000 }, async (c, n) => {
      if (c.id !== ids[0] || n > 1) return;
      await sleep(150); // the job is in hand: still pending, not acknowledged yet
      inHand = await h.pendingOf(course, mail, GROUP);
      await sleep(150);
    });
    await h.callsReach(calls, 4, 4000);
    v.judgeAcked({ mail, group: GROUP, first: ids[0]! }, inHand, await h.pendingAfter(course, mail, GROUP, 1000));
    await call('stop() of worker a', () => a.stop());
    const { calls: later } = await start(stores.cache, mail, 'b', { claimIdleMs: 100 });
    await sleep(800);
    demand(
      calls.length === 4 && later.length === 0,
      'each acknowledged job handled once, and never again: not by the same worker, not by the next one',
      `worker a: ${h.callsPerJob(calls, h.labels(ids))}; worker b, started later: ${later.length ? h.callsPerJob(later, h.labels(ids)) : 'nothing'}`,
    );
  });

  it('two workers of one group share the jobs: each handled once, none taken from a worker still on it', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const calls: Call[] = [];
    for (const consumer of ['a', 'b'])
      await start(stores.cache, mail, consumer, { claimIdleMs: 2500 }, () => sleep(150), calls);
    const ids = await h.seedMany(course, mail, 6);
    await waitUntil(() => new Set(calls.map((c) => c.id)).size >= 6, 5000);
    await sleep(400);
    v.judgeShared(calls, ids);
  });

  it('a job whose worker died mid-job is handled by another worker after claimIdleMs', async () => {
    const mail = h.streamNamed('mail');
    const proxy = await course.proxy('redis');
    const far = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
    let release = () => {};
    const busy = new Promise<void>((resolve) => (release = resolve));
    const { calls } = await start(far.cache, mail, 'a', { claimIdleMs: 500 }, () => busy);
    const id = await h.seed(course, mail, invoice);
    await h.callsReach(calls, 1, 3000);
    demand(calls.length === 1, 'worker a handed the job', 'its handler was never called within 3 s');
    // Worker a dies with the job in hand: its connections drop, and nothing it sends arrives.
    proxy.mode = 'blackhole';
    proxy.cut();
    const atDeath = await h.pendingOf(course, mail, GROUP);
    const stores = await course.stores();
    await start(stores.cache, mail, 'b', { claimIdleMs: 500 }, undefined, calls);
    const taken = await waitUntil(() => calls.some((c) => c.consumer === 'b'), 4000);
    v.judgeTakenOver(calls, id, invoice, taken, atDeath);
    const pending = await h.pendingAfter(course, mail, GROUP, 1500);
    demand(pending.length === 0, 'b to acknowledge the job it took over', `pending: ${h.describePending(pending)}`);
    // a comes back to life and finishes: its late XACK finds nothing to do.
    proxy.mode = 'pass';
    proxy.cut();
    release();
  });

  it('retries a failing job, then files it in <stream>:dead with its last error and acknowledges it', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const [bad, good] = [await h.seed(course, mail, invoice), await h.seed(course, mail, { invoice: 'INV-8' })];
    const calls: Call[] = [];
    const { result: dead, redis } = await course.watch(async () => {
      await start(
        stores.cache,
        mail,
        'a',
        { maxDeliveries: 3, claimIdleMs: 150 },
        async (c, n, job) => {
          if (c.id !== bad) return;
          job.tries = n; // the handler's own object: the dead letter still holds the job as enqueued
          throw new Error(`try ${n}: the printer is on fire`);
        },
        calls,
      );
      return h.deadAfter(course, mail, 5000, 700);
    });
    await v.judgeDeadLetter(course, { mail, group: GROUP, bad: bad!, good: good!, job: invoice }, calls, dead, redis);
  });

  it('counts deliveries in Redis, so those a dead worker got count too', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    // A worker that died got the job twice (a first read, then a takeover) and never acked it.
    await h.deliveredTwice(course, mail, GROUP, invoice);
    const { calls } = await start(stores.cache, mail, 'b', { maxDeliveries: 3, claimIdleMs: 200 }, async () => {
      throw new Error('label printer jammed');
    });
    const dead = await h.deadAfter(course, mail, 4000, 600);
    demand(
      calls.length === 1 && dead.length === 1,
      "a job Redis had delivered twice already (to a consumer that died) dead-lettered after one failed try here: b's takeover is its 3rd delivery, maxDeliveries. Ask Redis (XPENDING <stream> <group> <id> <id> 1 → its delivery count), not a counter in your process",
      `the handler was called ${calls.length} time(s); ${mail}:dead holds ${dead.length} entries; pending: ${h.describePending(await h.pendingOf(course, mail, GROUP))}`,
    );
  });

  it('keeps the stream capped: MAXLEN ~ 1000 on every XADD', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const job = (n: number): Job => ({ invoice: `INV-${n}` });
    const many = async () => {
      for (let n = 0; n < 1500; n += 50)
        await Promise.all(Array.from({ length: 50 }, (_, i) => enqueue(stores.cache, mail, job(n + i + 1))));
    };
    await call(`enqueue(cache, "${mail}", job) for 1500 jobs, 50 at a time`, many, 15_000);
    const length = (await course.redis.type(mail)) === 'stream' ? await course.redis.xLen(mail) : 0;
    const newest = (await course.redis.xRevRange(mail, '+', '-', { COUNT: 1 }))[0]?.message.job;
    demand(
      length >= 1000 && length < 1200 && newest === JSON.stringify(job(1500)),
      `after 1500 jobs, between 1000 and 1199 entries in ${mail}, the newest last: XADD … MAXLEN ~ 1000 trims the oldest, never below 1000 (an acknowledged entry stays until trimmed; a cap too small trims jobs not yet handled)`,
      `${length} entries; the newest holds ${show(newest)}`,
    );
  });

  it('reads on one connection of its own, made once: every XREADGROUP … BLOCK from it', async () => {
    const stores = await course.stores();
    const seen = await l.readsWhile(course, stores.cache, () =>
      start(stores.cache, h.streamNamed('mail'), 'a', { blockMs: 100 }),
    );
    l.judgeReads(seen);
  });

  it('two workers started on one client each read on a connection of their own', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const seen = await l.readsWhile(course, stores.cache, async () => {
      await start(stores.cache, mail, 'a', { blockMs: 100 });
      await start(stores.cache, mail, 'b', { blockMs: 100 });
    });
    l.judgeOwnLines(seen);
  });

  it('stop() lets the job in hand finish, acknowledged, before it resolves', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    let finished = false;
    const { worker, calls } = await start(stores.cache, mail, 'a', { blockMs: 300, claimIdleMs: 5000 }, async () => {
      await sleep(400);
      finished = true;
    });
    await h.seed(course, mail, invoice);
    demand(
      await h.callsReach(calls, 1, 3000),
      'the job handed to the handler',
      'the handler was never called within 3 s',
    );
    const stopped = await settle('stop() while the handler runs', () => worker.stop(), 4000);
    const done = finished;
    v.judgeFinished(stopped, done, await h.pendingOf(course, mail, GROUP));
  });

  it('the shared client answers at once while the worker waits for a job', async () => {
    const stores = await course.stores();
    const { before, shared: sharedId } = await start(stores.cache, h.streamNamed('mail'), 'a', { blockMs: 2000 });
    const { line, seen } = await l.blockedLine(course, before);
    const ping = await settle('cache.ping() while the worker waits', () => stores.cache.ping(), 4000);
    demand(line !== undefined, 'a connection blocked in XREADGROUP … BLOCK 2000', describeConnections(seen));
    demand(
      line.id !== sharedId && ping.ok && ping.ms < 500,
      "the shared client answering PING within 0.5 s while the worker waits 2 s for a job: the blocking read belongs on the worker's own connection",
      `${line.id === sharedId ? 'the shared client itself was blocked in XREADGROUP; ' : ''}${ping.ok ? `PING took ${Math.round(ping.ms)} ms` : `PING failed: ${errorText(ping.error)}`}`,
    );
  });

  it("stop() resolves within about blockMs, closes the worker's connection and leaves the shared client open", async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const { worker, calls, before, shared } = await start(stores.cache, mail, 'a', { blockMs: 600 });
    const { line, seen } = await l.blockedLine(course, before);
    demand(line !== undefined, 'the worker waiting in XREADGROUP … BLOCK 600', describeConnections(seen));
    await l.stopsTidily(course, stores.cache, worker, line.id, shared);
    await h.seed(course, mail, invoice);
    await sleep(500);
    demand(calls.length === 0, 'no job read after stop() resolved', `the handler received ${show(calls)}`);
  });

  it('goes on when its connection drops: an error listener of its own, and a loop that survives a failed read', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const { calls, before } = await start(stores.cache, mail, 'a', { blockMs: 300 });
    const { line, seen } = await l.blockedLine(course, before);
    demand(line !== undefined, 'the worker waiting in XREADGROUP on its connection', describeConnections(seen));
    await l.survivesDrops(course, before, line.id);
    await h.seed(course, mail, invoice);
    demand(
      await h.callsReach(calls, 1, 4000),
      'a job enqueued after the drop handled within 4 s: catch the failed read inside the loop, wait a moment, and read again (node-redis reconnects by itself)',
      `the handler received nothing; your code's connections now: ${describeConnections(await learnerConnections(course))}`,
    );
  });

  it('stop() called while it handles a job it took over: the job finishes, then no new read and no new claim', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const id = await h.heldByTheDead(course, mail, GROUP, invoice);
    await sleep(300); // idle past claimIdleMs (200 ms): the worker's first claim takes it
    let handled = false;
    const { result: stopped, redis } = await course.watch(async () => {
      const settings = { claimIdleMs: 200, blockMs: 2000 };
      const { worker, calls } = await start(stores.cache, mail, 'a', settings, () => sleep(300));
      handled = await h.callsReach(calls, 1, 4000);
      return settle('stop() while the handler runs', () => worker.stop(), 4000);
    });
    const pending = h.describePending(await h.pendingOf(course, mail, GROUP));
    l.judgeStopMidJob({ stream: mail, id, pending }, handled, stopped, redis);
  });

  it('waits a moment after a failed command, never retrying at once, and goes on once Redis answers again', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const { calls, before } = await start(stores.cache, mail, 'a', { blockMs: 100 });
    const { line, seen } = await l.blockedLine(course, before);
    demand(line !== undefined, 'the worker waiting in XREADGROUP on its connection', describeConnections(seen));
    const refused = await l.refusedFor(course, mail, GROUP, 1000);
    await h.seed(course, mail, invoice);
    l.judgeRefused(refused, await h.callsReach(calls, 1, 4000), mail);
  });
});
