import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { describeConnections, learnerConnections } from './harness/redis-clients.ts';
import { call, demand, errorText, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';
import * as h from './14-stream-worker.helpers.ts';
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
    const jobs: Job[] = [invoice, { invoice: 'INV-8', note: 'café ☕, "quoted"', retry: null }, { invoice: 'INV-9' }];
    const ids = [await h.seed(course, mail, jobs[0]!), await h.seed(course, mail, jobs[1]!)];
    const { calls } = await start(stores.cache, mail, 'a');
    ids.push(await h.seed(course, mail, jobs[2]!));
    await h.callsReach(calls, 3, 3000);
    await sleep(200);
    const handled = h.callsPerJob(
      calls,
      h.labels(ids, (i) => `job ${i + 1}`),
    );
    demand(
      calls.length === 0 || calls.some((c) => ids.slice(0, 2).includes(c.id)),
      'the two jobs enqueued before startWorker handled too: create the group from the start of the stream (XGROUP CREATE <stream> <group> 0 MKSTREAM), not from its end ($)',
      `only the job enqueued after startWorker reached the handler: ${handled}`,
    );
    const got = calls.map((c) => ({ id: c.id, job: c.job }));
    const want = ids.map((id, i) => ({ id, job: jobs[i] }));
    demand(
      isDeepStrictEqual(got, want),
      `handler(job, id) called once per job, in the stream's order, each job deep-equal to what was enqueued and each id the entry's: ${show(want, 400)}`,
      got.length === 0 ? 'the handler was never called within 3 s' : `the handler received ${show(got, 400)}`,
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
    demand(
      inHand.some((p) => p.id === ids[0] && p.consumer === 'a'),
      'the job pending in the group, held by "a", while its handler runs: acknowledge (XACK) only after the handler resolved, or a worker that dies mid-job loses it',
      `while the handler ran, the group's pending list held: ${h.describePending(inHand)}`,
    );
    const pending = await h.pendingAfter(course, mail, GROUP, 1000);
    demand(
      pending.length === 0,
      `the group's pending list empty once the 4 jobs are done: XACK ${mail} ${GROUP} <id> after each handler resolved (XDEL removes the entry, not its place in the pending list)`,
      `it still holds ${h.describePending(pending)}`,
    );
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
    const twice = ids.filter((id) => calls.filter((c) => c.id === id).length > 1);
    const dupes = h.callsPerJob(
      calls.filter((c) => twice.includes(c.id)),
      h.labels(ids),
    );
    demand(
      twice.length === 0,
      'each job handled by one worker: read with XREADGROUP GROUP <group> <consumer> … > (a plain XREAD hands every job to every reader), and take over only jobs idle for claimIdleMs (2.5 s here), never one a worker is still handling',
      `handled more than once: ${dupes}`,
    );
    const missing = ids.filter((id) => !calls.some((c) => c.id === id));
    demand(missing.length === 0, 'all 6 jobs handled within 5 s', `never handled: ${h.labels(missing).size} of them`);
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
    const byB = calls.find((c) => c.consumer === 'b');
    demand(
      taken && byB?.id === id && isDeepStrictEqual(byB.job, invoice),
      'worker b to take over the job a never acknowledged, once idle for claimIdleMs (XAUTOCLAIM <stream> <group> b 500 0-0), and hand it to its handler',
      `${taken ? `b's handler received ${show(byB)}` : 'b handled nothing within 4 s'}; when a died, the pending list held: ${h.describePending(atDeath)}${atDeath.length ? '' : ' (acknowledged before its handler was done: the job died with a)'}`,
    );
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
    const { calls } = await start(stores.cache, mail, 'a', { maxDeliveries: 3, claimIdleMs: 150 }, async (c, n) => {
      if (c.id === bad) throw new Error(`try ${n}: the printer is on fire`);
    });
    const dead = await h.deadAfter(course, mail, 5000, 700);
    const pending = await h.pendingOf(course, mail, GROUP);
    const handled = h.callsPerJob(
      calls,
      h.labels([bad!, good!], (i) => ['the failing job', 'the other job'][i]!),
    );
    demand(
      calls.filter((c) => c.id === bad).length === 3 && calls.filter((c) => c.id === good).length === 1,
      'the failing job delivered 3 times (maxDeliveries): left pending when its handler throws, taken over again by XAUTOCLAIM once idle for claimIdleMs; the other job handled once',
      `${handled}; pending: ${h.describePending(pending)}`,
    );
    demand(dead.length === 1, 'the failing job in <stream>:dead once', `${dead.length} entries: ${show(dead)}`);
    const { job, error } = dead[0]!.fields;
    demand(
      job === JSON.stringify(invoice) && typeof error === 'string' && error.includes('try 3: the printer is on fire'),
      `the dead letter's fields: job, the entry's job text (${JSON.stringify(invoice)}), and error, the message of the last error ("try 3: the printer is on fire")`,
      `its fields: ${show(dead[0]!.fields)}`,
    );
    demand(!pending.length, 'the dead-lettered job acknowledged (XACK)', `pending: ${h.describePending(pending)}`);
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
    const { shared, lines, redis, reads, from } = await h.readsWhile(course, stores.cache, () =>
      start(stores.cache, h.streamNamed('mail'), 'a', { blockMs: 100 }),
    );
    demand(
      reads.length >= 3 && reads.every((c) => Number(c.args[c.args.indexOf('BLOCK') + 1]) > 0),
      'the worker reading again and again while it runs, each read waiting on the server: XREADGROUP GROUP <group> <consumer> COUNT 1 BLOCK 100 STREAMS <stream> > in a loop (reads that return at once keep Redis and your process busy for nothing)',
      `${reads.length} XREADGROUP … > in 1.2 s; commands: ${describeRedis((reads.length ? reads : redis).slice(0, 6))}`,
    );
    demand(
      !shared.addr || !from.has(shared.addr),
      "the reads on a connection of the worker's own (cache.duplicate()), never on the shared client: a blocked connection answers nothing else",
      `XREADGROUP came from the shared client (${shared.addr})`,
    );
    demand(
      from.size === 1 && lines.size === 1,
      "one connection for the worker's whole life, made once in startWorker: every read from it (a duplicate per read is a new TCP connection and handshake every blockMs)",
      `the reads came from ${from.size} connection(s); your code opened ${lines.size} connection(s) besides the shared client while the worker ran`,
    );
  });

  it('the shared client answers at once while the worker waits for a job', async () => {
    const stores = await course.stores();
    const { before, shared: sharedId } = await start(stores.cache, h.streamNamed('mail'), 'a', { blockMs: 2000 });
    const { line, seen } = await h.blockedLine(course, before);
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
    const { line, seen } = await h.blockedLine(course, before);
    demand(line !== undefined, 'the worker waiting in XREADGROUP … BLOCK 600', describeConnections(seen));
    const stopped = await settle('stop()', () => worker.stop(), 4000);
    demand(
      stopped.ok && stopped.ms < 1500,
      'stop() to resolve within about blockMs (0.6 s here): end the loop after the read in progress, or close the connection under it',
      stopped.ok ? `it took ${Math.round(stopped.ms)} ms` : `it rejected: ${errorText(stopped.error)}`,
    );
    const left = await h.closedWithin(course, line.id, 1500);
    demand(
      line.id === shared || !left.some((c) => c.id === line.id),
      "the worker's own connection closed by stop(): a worker stopped and started again must not leave one behind each time",
      `still open after stop(): ${describeConnections(left.filter((c) => c.id === line.id))}`,
    );
    const ping = await settle('cache.ping() after stop()', () => stores.cache.ping(), 1000);
    demand(ping.ok, 'the shared client open after stop(): never close `cache`', errorText(!ping.ok && ping.error));
    await h.seed(course, mail, invoice);
    await sleep(500);
    demand(calls.length === 0, 'no job read after stop() resolved', `the handler received ${show(calls)}`);
  });

  it('goes on when its connection drops: an error listener of its own, and a loop that survives a failed read', async () => {
    const stores = await course.stores();
    const mail = h.streamNamed('mail');
    const { calls, before } = await start(stores.cache, mail, 'a', { blockMs: 300 });
    const { line, seen } = await h.blockedLine(course, before);
    demand(line !== undefined, 'the worker waiting in XREADGROUP on its connection', describeConnections(seen));
    const uncaught = await h.uncaughtDuring(() => h.kill(course, line.id, 700));
    demand(
      uncaught.length === 0,
      "the worker's connection to have an 'error' listener of its own: a duplicate inherits none, and when its connection drops (a network blip, a Redis restart) a client with no listener throws, which ends the process",
      `when the server closed the worker's connection, this went uncaught: ${uncaught.map(errorText).join('; ')}`,
    );
    await h.seed(course, mail, invoice);
    demand(
      await h.callsReach(calls, 1, 4000),
      'a job enqueued after the drop handled within 4 s: catch the failed read inside the loop, wait a moment, and read again (node-redis reconnects by itself)',
      `the handler received nothing; your code's connections now: ${describeConnections(await learnerConnections(course))}`,
    );
  });
});
