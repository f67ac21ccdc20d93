// right: uppercase method names, recover taking the oldest reserved job first
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

const processing = (queue: string) => queue + ':processing';

export async function enqueue(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  const text = JSON.stringify(job);
  await cache.LPUSH(queue, text);
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const blocking = cache.duplicate();
  // A failure reaches us as the rejected BLMOVE; the listener keeps a
  // dropped connection from ending the process.
  blocking.on('error', () => undefined);
  await blocking.connect();
  let raw: string | null;
  try {
    raw = await blocking.BLMOVE(
      queue,
      processing(queue),
      'RIGHT',
      'LEFT',
      timeoutSeconds,
    );
  } finally {
    await blocking.close();
  }
  if (raw === null) return null;
  return JSON.parse(raw) as Job;
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.LREM(processing(queue), 1, JSON.stringify(job));
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  // The oldest reserved job sits at the right of processing: move it
  // first, each one onto the right (the front) of the queue.
  let count = 0;
  while (
    (await cache.LMOVE(
      processing(queue),
      queue,
      'RIGHT',
      'RIGHT',
    )) !== null
  )
    count++;
  return count;
}
