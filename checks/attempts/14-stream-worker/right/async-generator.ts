// right: an async generator of deliveries, up to 5 entries per read, the dead letter and its ack in one MULTI
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

export const CAP = 1000;

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  const id = await cache.xAdd(
    stream,
    '*',
    { job: JSON.stringify(job) },
    {
      TRIM: {
        strategy: 'MAXLEN',
        strategyModifier: '~',
        threshold: CAP,
      },
    },
  );
  return id;
}

interface Delivery {
  id: string;
  raw: string;
  count: number;
}

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const o = options;
  await cache
    .xGroupCreate(o.stream, o.group, '0', { MKSTREAM: true })
    .catch((e: Error) => {
      if (!e.message.startsWith('BUSYGROUP')) throw e;
    });
  const line = cache.duplicate();
  line.on('error', () => {
    /* the failed command reaches deliveries() */
  });
  await line.connect();
  const state = { on: true };

  async function* deliveries(): AsyncGenerator<Delivery> {
    while (state.on) {
      try {
        const claim = await cache.xAutoClaim(
          o.stream,
          o.group,
          o.consumer,
          o.claimIdleMs,
          '0-0',
          { COUNT: 1 },
        );
        for (const m of claim.messages) {
          if (!m) continue;
          const [p] = await cache.xPendingRange(
            o.stream,
            o.group,
            m.id,
            m.id,
            1,
          );
          yield {
            id: m.id,
            raw: String(m.message.job),
            count: Number(p?.deliveriesCounter ?? 1),
          };
        }
        if (!state.on) return;
        const read = (await line.xReadGroup(
          o.group,
          o.consumer,
          { key: o.stream, id: '>' },
          { COUNT: 5, BLOCK: o.blockMs },
        )) as
          | {
              messages: { id: string; message: { job?: string } }[];
            }[]
          | null;
        for (const m of read?.[0]?.messages ?? [])
          yield { id: m.id, raw: String(m.message.job), count: 1 };
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  const finished = (async () => {
    for await (const d of deliveries()) {
      let failed: Error | undefined;
      try {
        await o.handler(JSON.parse(d.raw) as Job, d.id);
      } catch (error) {
        failed = error as Error;
      }
      try {
        if (!failed) await cache.xAck(o.stream, o.group, d.id);
        else if (d.count >= o.maxDeliveries)
          await cache
            .multi()
            .xAdd(`${o.stream}:dead`, '*', {
              job: d.raw,
              error: failed.message,
              deliveries: `${d.count}`,
            })
            .xAck(o.stream, o.group, d.id)
            .exec();
      } catch {
        // Redis away: the entry stays pending and comes back.
      }
    }
    line.destroy();
  })();

  return {
    stop: () => {
      state.on = false;
      return finished;
    },
  };
}
