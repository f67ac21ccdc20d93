// The worker's connections, and what Redis saw from them, for checks/14-stream-worker.check.ts:
// the connection blocked in XREADGROUP, the reads of a worker and where they came from, connections
// closed from the server's side, the commands sent while Redis refuses them or after stop(), and a
// window in which an exception nobody caught is recorded instead of failing the whole run.
import type { Course } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { describeConnections, learnerConnections, type RedisConnection } from './harness/redis-clients.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { demand, errorText, settle, type Settled } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/14-stream-worker/worker.ts');
type Cache = Parameters<Module['startWorker']>[0];
type Worker = Awaited<ReturnType<Module['startWorker']>>;

/**
 * Runs `fn` with every exception nobody caught recorded instead of ending the process: a node-redis
 * client whose connection drops and that has no `error` listener throws from inside its socket's
 * events. Vitest's own listeners are put back afterwards.
 */
export async function uncaughtDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const theirs = process.listeners('uncaughtException');
  const seen: unknown[] = [];
  const record = (error: unknown) => seen.push(error);
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', record);
  try {
    await fn();
  } finally {
    process.off('uncaughtException', record);
    for (const listener of theirs) process.on('uncaughtException', listener);
  }
  return seen;
}

/** Waits for a worker's blocking connection: one of your code's connections, not in `before`, blocked in XREADGROUP. */
export async function blockedLine(course: Course, before: Set<number>, limitMs = 2000) {
  let seen: RedisConnection[] = [];
  let line: RedisConnection | undefined;
  await waitUntil(async () => {
    seen = (await learnerConnections(course)).filter((c) => !before.has(c.id));
    line = seen.find((c) => c.flags.includes('b') && c.cmd === 'xreadgroup');
    return line !== undefined;
  }, limitMs);
  return { line, seen };
}

/** The shared client's CLIENT ID and address (as MONITOR names the connection a command came from). */
export async function sharedOf(course: Course, cache: Cache): Promise<{ id: number; addr?: string }> {
  const id = Number(await cache.clientId());
  return { id, addr: (await learnerConnections(course)).find((c) => c.id === id)?.addr };
}

/**
 * Starts a worker (`begin`) and watches it for 1.2 s: the reads of new jobs it sent (XREADGROUP …
 * >; a read of the consumer's own history, ID 0, never blocks), the connections they came from,
 * and the connections your code had open besides the shared client.
 */
export async function readsWhile(course: Course, cache: Cache, begin: () => Promise<unknown>) {
  const shared = await sharedOf(course, cache);
  const before = new Set((await learnerConnections(course)).map((c) => c.id));
  const lines = new Set<number>();
  const { redis } = await course.watch(async () => {
    await begin();
    for (let i = 0; i < 6; i += 1, await sleep(200))
      for (const c of await learnerConnections(course)) if (!before.has(c.id)) lines.add(c.id);
  });
  const reads = redis.filter((c) => c.args[0] === 'XREADGROUP' && c.args.at(-1) === '>');
  return { shared, lines, redis, reads, from: new Set(reads.map((c) => c.client)) };
}

/** What `readsWhile` saw of one worker with no job to read, judged: reads that block, on one connection of its own. */
export function judgeReads({ shared, lines, redis, reads, from }: Awaited<ReturnType<typeof readsWhile>>): void {
  demand(
    reads.length >= 3 && reads.every((c) => Number(c.args[c.args.indexOf('BLOCK') + 1]) > 0),
    'the worker reading again and again while it runs, each read waiting on the server: XREADGROUP GROUP <group> <consumer> COUNT 1 BLOCK 100 STREAMS <stream> > in a loop (reads that return at once keep Redis and your process busy for nothing)',
    `${reads.length} XREADGROUP … > in 1.2 s; commands: ${describeRedis((reads.length ? reads : redis).slice(0, 6))}`,
  );
  const blocks = [...new Set(reads.map((c) => c.args[c.args.indexOf('BLOCK') + 1]))];
  demand(
    reads.length <= 30,
    'each read waiting up to blockMs for a job, 100 ms here (BLOCK counts milliseconds, not seconds): about 12 reads in 1.2 s with no job to read, not hundreds',
    `${reads.length} XREADGROUP … > in 1.2 s, with BLOCK ${blocks.join(', ')}`,
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
}

/** What `readsWhile` saw of workers "a" and "b" started on one client, judged: a connection of its own each. */
export function judgeOwnLines({ shared, lines, reads }: Awaited<ReturnType<typeof readsWhile>>): void {
  const from = new Map<string, Set<string>>(['a', 'b'].map((consumer) => [consumer, new Set<string>()]));
  for (const c of reads) from.get(c.args[3] ?? '')?.add(c.client);
  const [a, b] = [[...from.get('a')!], [...from.get('b')!]];
  const seen = [...from].map(
    ([consumer, addrs]) => `"${consumer}" read from ${addrs.size ? [...addrs].join(', ') : 'nowhere'}`,
  );
  demand(
    a.length === 1 &&
      b.length === 1 &&
      a[0] !== b[0] &&
      a[0] !== shared.addr &&
      b[0] !== shared.addr &&
      lines.size === 2,
    "each worker reading on a connection of its own, made by its startWorker (cache.duplicate()): two workers started with the same client, two connections. A blocking connection lent to several workers makes each read wait behind the others'",
    `${seen.join('; ')} (the shared client is ${shared.addr ?? 'unknown'}); your code opened ${lines.size} connection(s) besides the shared client`,
  );
}

/** The server closes a connection (as a network blip or a restart would); then `settleMs` to react. */
export async function kill(course: Course, id: number, settleMs: number): Promise<void> {
  await course.redis.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
  await sleep(settleMs);
}

/**
 * Closes the worker's blocking connection `line` from the server's side, then, once it reads again
 * on a new one, that one too; demands that nothing went uncaught meanwhile.
 */
export async function survivesDrops(course: Course, before: Set<number>, line: number): Promise<void> {
  let drops = 1;
  const uncaught = await uncaughtDuring(async () => {
    await kill(course, line, 700);
    // A second drop once the worker reads again: the listener must outlive the first error.
    const again = await blockedLine(course, new Set([...before, line]), 3000);
    if (again.line) await kill(course, again.line.id, 700);
    if (again.line) drops = 2;
  });
  demand(
    uncaught.length === 0,
    "the worker's connection to have an 'error' listener of its own, for its whole life (on, not once): a duplicate inherits none, and when its connection drops (a network blip, a Redis restart) a client with no listener throws, which ends the process",
    `when the server closed the worker's connection (${drops === 2 ? 'twice' : 'once'}), this went uncaught: ${uncaught.map(errorText).join('; ')}`,
  );
}

/** Waits (up to `limitMs`) for connection `id` to be gone; returns your code's connections then. */
export async function closedWithin(course: Course, id: number, limitMs: number): Promise<RedisConnection[]> {
  let left: RedisConnection[] = [];
  await waitUntil(async () => !(left = await learnerConnections(course)).some((c) => c.id === id), limitMs);
  return left;
}

/**
 * stop() of a worker waiting in XREADGROUP on connection `line`: it resolves within about blockMs
 * (600 ms here), closes that connection and leaves the shared client (`cache`, CLIENT ID `shared`) open.
 */
export async function stopsTidily(course: Course, cache: Cache, worker: Worker, line: number, shared: number) {
  const stopped = await settle('stop()', () => worker.stop(), 4000);
  demand(
    stopped.ok && stopped.ms < 1500,
    'stop() to resolve within about blockMs (0.6 s here): end the loop after the read in progress, or close the connection under it',
    stopped.ok ? `it took ${Math.round(stopped.ms)} ms` : `it rejected: ${errorText(stopped.error)}`,
  );
  const left = await closedWithin(course, line, 1500);
  demand(
    line === shared || !left.some((c) => c.id === line),
    "the worker's own connection closed by stop(): a worker stopped and started again must not leave one behind each time",
    `still open after stop(): ${describeConnections(left.filter((c) => c.id === line))}`,
  );
  const ping = await settle('cache.ping() after stop()', () => cache.ping(), 1000);
  demand(ping.ok, 'the shared client open after stop(): never close `cache`', errorText(!ping.ok && ping.error));
}

/**
 * Turns `stream` into a string for `ms`, so every stream command on it fails (WRONGTYPE), and
 * returns what your code sent meanwhile; then makes it a stream with `group` again.
 */
export async function refusedFor(course: Course, stream: string, group: string, ms: number) {
  const { redis } = await course.watch(async () => {
    await course.redis.multi().del(stream).set(stream, 'not a stream').exec();
    await sleep(ms);
  });
  await course.redis.del(stream);
  // Your code may have made the group again meanwhile (BUSYGROUP): either way, it is there.
  await course.redis.xGroupCreate(stream, group, '0', { MKSTREAM: true }).catch(() => {});
  return redis;
}

/** What a worker sent in the second the stream held a string (`refused`), and whether it handled a job once it was back. */
export function judgeRefused(refused: SeenCommand[], handled: boolean, stream: string): void {
  demand(
    refused.length <= 20,
    `a pause after a failed command before the next try (100 ms or more): while every command on the stream fails (for 1 s here, ${stream} holding a string: WRONGTYPE), at most 20 commands in that second. A loop that tries again at once sends thousands, and hammers a Redis that is already in trouble`,
    `${refused.length} commands in that second: ${describeRedis(refused.slice(0, 6))}`,
  );
  demand(
    handled,
    'a job enqueued once the stream is back (with its group) handled within 4 s: a failed command never ends the loop',
    'the handler received nothing',
  );
}

const TAKING = new Set(['XREADGROUP', 'XAUTOCLAIM', 'XCLAIM']);

/**
 * stop() called while the handler ran the job `id`, taken over from a consumer that died: the job
 * handed over and acknowledged, then nothing taken (no read, no claim: `redis`, what Redis saw), and
 * stop() resolved once the job was done, not after one more read (BLOCK 2000).
 */
export function judgeStopMidJob(
  { stream, id, pending }: { stream: string; id: string; pending: string },
  handled: boolean,
  stopped: Settled<unknown>,
  redis: SeenCommand[],
): void {
  demand(
    handled,
    `the job held by a consumer that died, idle past claimIdleMs, taken over and handed to the handler: XAUTOCLAIM ${stream} <group> a 200 0-0 before each read`,
    'the handler was never called within 4 s',
  );
  const ack = redis.findLastIndex((c) => c.args[0] === 'XACK' && c.args[1] === stream && c.args.includes(id));
  demand(ack >= 0, 'the job in hand acknowledged (XACK) before stop() resolves', `pending: ${pending}`);
  const late = redis.slice(ack + 1).filter((c) => TAKING.has(c.args[0] ?? ''));
  demand(
    late.length === 0,
    'no new read and no new claim once stop() was called: when the job in hand is done, the loop ends. Look at the stop flag again before the read that follows the claims, not only at the top of the loop',
    `after XACK ${stream} … ${id}, Redis received ${describeRedis(late)}`,
  );
  demand(
    stopped.ok && stopped.ms < 1500,
    'stop(), called while the handler runs (300 ms here), to resolve once that job is done: within 1.5 s, not after one more read waiting blockMs (2 s here)',
    stopped.ok ? `it took ${Math.round(stopped.ms)} ms` : `it rejected: ${errorText(stopped.error)}`,
  );
}

/**
 * Whether entry `id` was acknowledged in `stream` before its dead letter was added to
 * `<stream>:dead`, outside one MULTI…EXEC holding both: what was sent then, else undefined (the
 * dead letter first, both in one transaction, or one of them never sent, which other demands see).
 */
export function ackedBeforeFiled(commands: SeenCommand[], stream: string, id: string): string | undefined {
  const open = new Map<string, number>();
  const block: (number | undefined)[] = [];
  commands.forEach((c, i) => {
    const name = c.args[0];
    if (name === 'MULTI') open.set(c.client, i);
    block.push(open.get(c.client));
    if (name === 'EXEC' || name === 'DISCARD') open.delete(c.client);
  });
  const ack = commands.findIndex((c) => c.args[0] === 'XACK' && c.args[1] === stream && c.args.slice(3).includes(id));
  const filed = commands.findIndex((c) => c.args[0] === 'XADD' && c.args[1] === `${stream}:dead`);
  if (ack < 0 || filed < 0 || filed < ack) return undefined;
  if (block[ack] !== undefined && block[ack] === block[filed]) return undefined;
  return `${commands[ack]!.args.join(' ')}, then ${commands[filed]!.args.slice(0, 2).join(' ')} …, not in one MULTI…EXEC`;
}
