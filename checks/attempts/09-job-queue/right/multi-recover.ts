// right: recover as WATCH, LRANGE and one MULTI (RPUSH, DEL) on a duplicate
import { WatchError } from 'redis';
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

export async function enqueue(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.lPush(queue, [JSON.stringify(job)]);
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const worker = cache.duplicate();
  worker.on('error', () => undefined);
  try {
    await worker.connect();
    const raw = await worker.blMove(
      queue,
      `${queue}:processing`,
      'RIGHT',
      'LEFT',
      timeoutSeconds,
    );
    return raw === null ? null : (JSON.parse(raw) as Job);
  } finally {
    worker.destroy();
  }
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.lRem(`${queue}:processing`, 1, JSON.stringify(job));
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  const processing = `${queue}:processing`;
  // WATCH the list so that nothing slips in between reading and
  // moving; retry if it changed.
  for (;;) {
    const conn = await cache.duplicate().connect();
    try {
      await conn.watch(processing);
      const jobs = await conn.lRange(processing, 0, -1);
      if (jobs.length === 0) {
        await conn.unwatch();
        return 0;
      }
      // Rightmost is the oldest reserved; RPUSH newest first keeps the
      // oldest at the very front.
      const reply = await conn
        .multi()
        .rPush(queue, jobs)
        .del(processing)
        .exec();
      if (reply !== null) return jobs.length;
    } catch (error) {
      if (!(error instanceof WatchError)) throw error;
    } finally {
      conn.destroy();
    }
  }
}
