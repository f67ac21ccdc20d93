// right: XAUTOCLAIM up to 10 at a time with the counts of the whole batch from one XPENDING of this consumer, the reads through sendCommand, the dead letter awaited before its ack
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

type Fields = Record<string, string>;

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  const id = await cache.sendCommand<string>([
    'XADD',
    stream,
    'MAXLEN',
    '~',
    '1000',
    '*',
    'job',
    JSON.stringify(job),
  ]);
  return id;
}

function toFields(flat: string[]): Fields {
  const fields: Fields = {};
  for (let i = 0; i < flat.length; i += 2)
    fields[flat[i]!] = flat[i + 1] ?? '';
  return fields;
}

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  const { stream, group, consumer } = options;
  await cache
    .xGroupCreate(stream, group, '0', { MKSTREAM: true })
    .catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });

  const reader = cache.duplicate();
  reader.on('error', () => undefined);
  await reader.connect();

  let stopping = false;

  const work = async (
    id: string,
    fields: Fields,
    deliveries: number,
  ) => {
    try {
      await options.handler(JSON.parse(fields.job!) as Job, id);
    } catch (error) {
      if (deliveries >= options.maxDeliveries) {
        await cache.xAdd(`${stream}:dead`, '*', {
          job: fields.job ?? '',
          error: (error as Error)?.message ?? String(error),
          from: id,
        });
        await cache.xAck(stream, group, id);
      }
      return;
    }
    await cache.xAck(stream, group, id);
  };

  const takeOver = async () => {
    const claim = await cache.xAutoClaim(
      stream,
      group,
      consumer,
      options.claimIdleMs,
      '0-0',
      { COUNT: 10 },
    );
    const claimed = claim.messages.filter((m) => m !== null);
    if (claimed.length === 0) return;
    // One XPENDING for the batch: this consumer's entries, each with Redis's count.
    const rows = await cache.xPendingRange(
      stream,
      group,
      '-',
      '+',
      100,
      {
        consumer,
      },
    );
    const counts = new Map(
      rows.map((r) => [r.id, r.deliveriesCounter]),
    );
    for (const m of claimed) {
      if (stopping) return;
      await work(m.id, m.message as Fields, counts.get(m.id) ?? 1);
    }
  };

  const readNew = async () => {
    const reply = await reader.sendCommand<
      [string, [string, string[]][]][] | null
    >([
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      '1',
      'BLOCK',
      String(options.blockMs),
      'STREAMS',
      stream,
      '>',
    ]);
    for (const [id, flat] of reply?.[0]?.[1] ?? [])
      await work(id, toFields(flat), 1);
  };

  const loop = (async () => {
    while (!stopping) {
      try {
        await takeOver();
        if (!stopping) await readNew();
      } catch {
        if (!stopping) await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (reader.isOpen) reader.destroy();
  })();

  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}
