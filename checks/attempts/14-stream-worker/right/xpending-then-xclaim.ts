// right: XPENDING … IDLE then XCLAIM instead of XAUTOCLAIM, its own history read first, dead letter then ack
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

export interface WorkerOptions {
  stream: string;
  group: string;
  consumer: string;
  handler: (job: Job, id: string) => Promise<void>;
  maxDeliveries: number;
  claimIdleMs: number;
  blockMs: number;
}

export interface Worker {
  stop(): Promise<void>;
}

interface Entry {
  id: string;
  message: Record<string, string>;
}

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  return cache.xAdd(
    stream,
    '*',
    { job: JSON.stringify(job) },
    {
      TRIM: {
        strategy: 'MAXLEN',
        strategyModifier: '~',
        threshold: 1000,
      },
    },
  );
}

const pause = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, ms));

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer, handler, maxDeliveries } =
    options;
  await cache
    .xGroupCreate(stream, group, '0', { MKSTREAM: true })
    .catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
  const reader = cache.duplicate();
  reader.on('error', (error: Error) =>
    console.warn(`worker ${consumer}: ${error.message}`),
  );
  await reader.connect();

  async function run(entry: Entry, deliveries: number) {
    let failure: unknown;
    try {
      await handler(
        JSON.parse(entry.message.job!) as Job,
        entry.id,
      );
    } catch (error) {
      failure = error ?? new Error('failed');
    }
    if (failure === undefined) {
      await cache.xAck(stream, group, entry.id);
    } else if (deliveries >= maxDeliveries) {
      await cache.xAdd(`${stream}:dead`, '*', {
        job: entry.message.job ?? '',
        error: String((failure as Error)?.message ?? failure),
      });
      await cache.xAck(stream, group, entry.id);
    }
  }

  // What this consumer was given in an earlier life and never acked.
  const mine = (await cache.xReadGroup(
    group,
    consumer,
    { key: stream, id: '0' },
    { COUNT: 100 },
  )) as { messages: (Entry | null)[] }[] | null;
  const left = (mine?.[0]?.messages ?? []).filter(
    (e): e is Entry => e !== null,
  );

  let stopping = false;
  const loop = (async () => {
    for (const entry of left) {
      const [p] = await cache.xPendingRange(
        stream,
        group,
        entry.id,
        entry.id,
        1,
      );
      await run(entry, p?.deliveriesCounter ?? 1);
    }
    while (!stopping) {
      try {
        const idle = await cache.xPendingRange(
          stream,
          group,
          '-',
          '+',
          1,
          {
            IDLE: options.claimIdleMs,
          },
        );
        for (const p of idle) {
          const [entry] = await cache.xClaim(
            stream,
            group,
            consumer,
            options.claimIdleMs,
            p.id,
          );
          // XCLAIM counts one more delivery.
          if (entry) await run(entry, p.deliveriesCounter + 1);
        }
        if (stopping) break;
        const got = (await reader.xReadGroup(
          group,
          consumer,
          { key: stream, id: '>' },
          { COUNT: 1, BLOCK: options.blockMs },
        )) as { messages: Entry[] }[] | null;
        for (const entry of got?.[0]?.messages ?? [])
          await run(entry, 1);
      } catch {
        if (!stopping) await pause(200);
      }
    }
    await reader.close();
  })();

  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}
