// right: XINFO GROUPS before XGROUP CREATE, a MULTI that acks first and files the dead letter in the same transaction, a loop ended by an AbortController, quit() instead of destroy()
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

async function groupExists(
  cache: Cache,
  stream: string,
  group: string,
): Promise<boolean> {
  if ((await cache.exists(stream)) === 0) return false;
  const groups = await cache.xInfoGroups(stream);
  return groups.some((g) => g.name === group);
}

async function ensureGroup(
  cache: Cache,
  stream: string,
  group: string,
) {
  if (await groupExists(cache, stream, group)) return;
  try {
    await cache.xGroupCreate(stream, group, '0', {
      MKSTREAM: true,
    });
  } catch (error) {
    // Another worker made it between XINFO and here.
    if (
      !(error instanceof Error) ||
      !error.message.includes('BUSYGROUP')
    )
      throw error;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer, handler } = options;
  await ensureGroup(cache, stream, group);

  const line = cache.duplicate();
  let drops = 0;
  line.on('error', () => {
    drops += 1;
  });
  await line.connect();
  const halt = new AbortController();

  async function finish(
    entry: Entry,
    deliveries: number,
  ): Promise<void> {
    const text = entry.message.job ?? 'null';
    let failure: unknown;
    try {
      await handler(JSON.parse(text) as Job, entry.id);
      await cache.xAck(stream, group, entry.id);
      return;
    } catch (error) {
      failure = error;
    }
    if (deliveries < options.maxDeliveries) return;
    await cache
      .multi()
      .xAck(stream, group, entry.id)
      .xAdd(`${stream}:dead`, '*', {
        job: text,
        error:
          failure instanceof Error
            ? failure.message
            : String(failure),
      })
      .exec();
  }

  async function countOf(id: string): Promise<number> {
    const rows = await cache.xPendingRange(
      stream,
      group,
      id,
      id,
      1,
    );
    return rows[0]?.deliveriesCounter ?? 1;
  }

  async function run(): Promise<void> {
    while (!halt.signal.aborted) {
      try {
        const { messages } = await cache.xAutoClaim(
          stream,
          group,
          consumer,
          options.claimIdleMs,
          '0-0',
          { COUNT: 1 },
        );
        const taken = messages.filter(
          (m): m is Entry => m !== null,
        );
        for (const entry of taken)
          await finish(entry, await countOf(entry.id));
        if (halt.signal.aborted) break;
        const reply = (await line.xReadGroup(
          group,
          consumer,
          [{ key: stream, id: '>' }],
          { COUNT: 1, BLOCK: options.blockMs },
        )) as { name: string; messages: Entry[] }[] | null;
        for (const entry of reply?.[0]?.messages ?? [])
          await finish(entry, 1);
      } catch {
        if (!halt.signal.aborted)
          await pause(50 + Math.min(drops, 5) * 10);
      }
    }
  }

  const running = run();
  return {
    async stop() {
      halt.abort();
      await running;
      // quit() waits for the read in progress, at most blockMs.
      if (line.isOpen)
        await line.quit().catch(() => line.destroy());
    },
  };
}
