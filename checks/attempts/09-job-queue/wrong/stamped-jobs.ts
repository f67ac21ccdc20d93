// wrong: "every job comes back deep-equal to what went in" → must fail: hands out jobs first in, first out, as the same JSON objects
// An id and a timestamp added to each job on the way in: what comes back is not what went in, and ack no longer finds it.
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
  const stamped: Job = { ...job, enqueuedAt: Date.now() };
  await cache.lPush(queue, JSON.stringify(stamped));
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const worker = cache.duplicate();
  await worker.connect();
  try {
    const raw = await worker.blMove(
      queue,
      `${queue}:processing`,
      'RIGHT',
      'LEFT',
      timeoutSeconds,
    );
    return raw === null ? null : (JSON.parse(raw) as Job);
  } finally {
    await worker.close();
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
  let moved = 0;
  while (
    (await cache.lMove(
      `${queue}:processing`,
      queue,
      'LEFT',
      'RIGHT',
    )) !== null
  )
    moved++;
  return moved;
}
