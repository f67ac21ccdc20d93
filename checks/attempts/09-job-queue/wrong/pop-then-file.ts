// wrong: "`reserve` takes the job from the right of `queue` and files it at the left of `<queue>:processing` in **one atomic step**" → must fail: keeps a reserved job in <queue>:processing until ack removes it
// BRPOP, then LPUSH to processing: two steps, and a crash between them loses the job.
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
  await cache.lPush(queue, JSON.stringify(job));
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const worker = cache.duplicate();
  await worker.connect();
  try {
    const reply = await worker.brPop(queue, timeoutSeconds);
    if (reply === null) return null;
    await cache.lPush(`${queue}:processing`, reply.element);
    return JSON.parse(reply.element) as Job;
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
