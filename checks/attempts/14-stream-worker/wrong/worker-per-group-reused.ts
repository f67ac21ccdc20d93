// wrong: "Workers with the same `group` and different `consumer` names each get different jobs" → must fail: two workers of one group share the jobs: each handled once, none taken from a worker still on it
// A registry in the module keeps one worker per stream and group: a second startWorker for the same group gets the first one back, and its consumer never joins.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cache } from '../../../../lib/stores.ts';

/** Anything JSON can carry. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
/** A job: any JSON object, e.g. `{ invoice: 'INV-7', to: '…' }`. */
export type Job = { [key: string]: Json };

export interface WorkerOptions {
  /** The stream's key, e.g. "mail". */
  stream: string;
  /** The consumer group every worker of this stream joins. */
  group: string;
  /** This worker's name in the group: one per live worker. */
  consumer: string;
  /** Does the job; resolves when done, throws when it failed. */
  handler: (job: Job, id: string) => Promise<void>;
  /** Deliveries a job gets before it goes to `<stream>:dead`. */
  maxDeliveries: number;
  /** How long a delivered job may stay unacknowledged before another worker takes it over. */
  claimIdleMs: number;
  /** How long one read waits for a new job. */
  blockMs: number;
}

export interface Worker {
  /** Stops reading, lets the job in hand finish, closes the worker's connection. */
  stop(): Promise<void>;
}

/** Old entries beyond this are trimmed, acknowledged or not. */
const MAX_LENGTH = 1000;

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  // Acknowledged entries stay in a stream until trimmed: the cap
  // keeps it from growing for ever. `~` lets Redis trim whole
  // nodes, which is cheap, and never below the cap.
  return cache.xAdd(
    stream,
    '*',
    { job: JSON.stringify(job) },
    {
      TRIM: {
        strategy: 'MAXLEN',
        strategyModifier: '~',
        threshold: MAX_LENGTH,
      },
    },
  );
}

interface Entry {
  id: string;
  message: Record<string, string>;
}

/** The workers of this process, one per stream and group. */
const workers = new Map<string, Worker>();

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer, handler } = options;
  const key = `${stream}\u0000${group}`;
  const known = workers.get(key);
  if (known) return known; // the group already has its worker here
  try {
    // From 0, not $: jobs enqueued before the first worker started
    // are work too.
    await cache.xGroupCreate(stream, group, '0', {
      MKSTREAM: true,
    });
  } catch (error) {
    if (!String((error as Error).message).startsWith('BUSYGROUP'))
      throw error;
  }

  // A blocked connection can do nothing else, so the blocking read
  // gets its own, made once for the worker's whole life.
  const line = cache.duplicate();
  // A duplicate inherits no listener: without one, a dropped
  // connection would throw and end the process. The failed read
  // reaches the loop below as a rejection.
  line.on('error', () => {});
  await line.connect();

  let running = true;

  /** Redis's own count of this entry's deliveries, across workers. */
  async function deliveriesOf(id: string): Promise<number> {
    const [pending] = await cache.xPendingRange(
      stream,
      group,
      id,
      id,
      1,
    );
    return pending?.deliveriesCounter ?? 1;
  }

  async function handle(entry: Entry, deliveries: number) {
    const raw = entry.message.job ?? '';
    try {
      await handler(JSON.parse(raw) as Job, entry.id);
    } catch (error) {
      if (deliveries < options.maxDeliveries) return; // stays pending
      const message =
        error instanceof Error ? error.message : String(error);
      // Filed and acknowledged together: never acked without its
      // dead letter, never dead-lettered twice.
      await cache
        .multi()
        .xAdd(`${stream}:dead`, '*', {
          job: raw,
          error: message,
          id: entry.id,
          deliveries: String(deliveries),
        })
        .xAck(stream, group, entry.id)
        .exec();
      return;
    }
    await cache.xAck(stream, group, entry.id);
  }

  async function turn() {
    // A delivered job idle this long belongs to a worker that died,
    // or it failed and waits for its next try: take it over. One at
    // a time, so no job ages in a batch while another is handled.
    const claimed = await cache.xAutoClaim(
      stream,
      group,
      consumer,
      options.claimIdleMs,
      '0-0',
      { COUNT: 1 },
    );
    for (const entry of claimed.messages) {
      if (!running) return;
      if (entry) await handle(entry, await deliveriesOf(entry.id));
    }
    if (!running) return;
    const read = (await line.xReadGroup(
      group,
      consumer,
      { key: stream, id: '>' },
      { COUNT: 1, BLOCK: options.blockMs },
    )) as { messages: Entry[] }[] | null;
    for (const entry of read?.[0]?.messages ?? []) {
      await handle(entry, 1); // a first delivery
    }
  }

  const life = (async () => {
    try {
      while (running) {
        try {
          await turn();
        } catch {
          // Redis unreachable for a moment (the line reconnects by
          // itself): what was not acknowledged stays pending.
          if (running) await sleep(100);
        }
      }
    } finally {
      line.destroy();
    }
  })();

  const worker: Worker = {
    async stop() {
      running = false;
      await life;
      workers.delete(key);
    },
  };
  workers.set(key, worker);
  return worker;
}
