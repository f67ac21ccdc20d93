// right: exact MAXLEN, a Lua script that files the dead letter and acks it at once, a scheduled turn per job
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

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  // Exact trimming: slower than ~, and the length is exactly 1000.
  return cache.xAdd(
    stream,
    '*',
    { job: JSON.stringify(job) },
    { TRIM: { strategy: 'MAXLEN', threshold: 1000 } },
  );
}

const BURY = `redis.call('XADD', KEYS[2], '*', 'job', ARGV[2], 'error', ARGV[3])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[4])`;

type Message = { id: string; message: Record<string, string> };

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer } = options;
  try {
    await cache.xGroupCreate(stream, group, '0', {
      MKSTREAM: true,
    });
  } catch (error) {
    if (!`${error}`.includes('BUSYGROUP')) throw error;
  }
  const blocking = await cache
    .duplicate()
    .on('error', () => {})
    .connect();

  const bury = (m: Message, why: string) =>
    cache.eval(BURY, {
      keys: [stream, `${stream}:dead`],
      arguments: [group, m.message.job ?? '', why, m.id],
    });

  async function attempt(m: Message, delivery: number) {
    let job: Job;
    try {
      job = JSON.parse(m.message.job ?? '') as Job;
    } catch (error) {
      await bury(m, `not JSON: ${(error as Error).message}`);
      return;
    }
    try {
      await options.handler(job, m.id);
    } catch (error) {
      if (delivery >= options.maxDeliveries)
        await bury(
          m,
          error instanceof Error ? error.message : `${error}`,
        );
      return;
    }
    await cache.xAck(stream, group, m.id);
  }

  async function turn(): Promise<void> {
    const { messages } = await cache.xAutoClaim(
      stream,
      group,
      consumer,
      options.claimIdleMs,
      '0-0',
      { COUNT: 1 },
    );
    const claimed = messages.find((m) => m !== null);
    if (claimed) {
      const [info] = await cache.xPendingRange(
        stream,
        group,
        claimed.id,
        claimed.id,
        1,
      );
      return attempt(claimed, info?.deliveriesCounter ?? 1);
    }
    const reply = (await blocking.xReadGroup(
      group,
      consumer,
      [{ key: stream, id: '>' }],
      { BLOCK: options.blockMs, COUNT: 1 },
    )) as { messages: Message[] }[] | null;
    const fresh = reply?.[0]?.messages[0];
    if (fresh) await attempt(fresh, 1);
  }

  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const next = () => {
    if (stopped) return;
    current = turn().then(next, () => {
      setTimeout(next, 150);
    });
  };
  next();

  return {
    async stop() {
      stopped = true;
      // Wait until the turn in progress (and any that was chained
      // on it before the flag was seen) has ended.
      let seen: Promise<void>;
      do {
        seen = current;
        await seen.catch(() => {});
      } while (seen !== current);
      await blocking.close();
    },
  };
}
