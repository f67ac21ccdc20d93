// wrong: "Each turn of a worker's loop first takes over what has been pending for at least `claimIdleMs` (`XAUTOCLAIM …`), whoever held it, then reads new jobs" → must fail: a job whose worker died mid-job is handled by another worker after claimIdleMs
// XAUTOCLAIM's answer is dropped, as if the claim put the job back for the next XREADGROUP … >: the claimed job now sits in this consumer's pending list, and > never returns it.
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

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer, handler } = options;
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
    await cache.xAutoClaim(
      stream,
      group,
      consumer,
      options.claimIdleMs,
      '0-0',
      { COUNT: 1 },
    );
    // The claimed job comes with the read below.
    if (!running) return;
    const read = (await line.xReadGroup(
      group,
      consumer,
      { key: stream, id: '>' },
      { COUNT: 1, BLOCK: options.blockMs },
    )) as { messages: Entry[] }[] | null;
    for (const entry of read?.[0]?.messages ?? []) {
      const [pending] = await cache.xPendingRange(
        stream,
        group,
        entry.id,
        entry.id,
        1,
      );
      await handle(entry, pending?.deliveriesCounter ?? 1);
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

  return {
    async stop() {
      running = false;
      await life;
    },
  };
}
