// wrong: "**`recover`** moves every job still in `<queue>:processing` back to the front of `queue`, so they are handed out next" → must fail: recover puts every un-acked job back in the queue and says how many
// RPOPLPUSH puts each job on the left: the back of the queue, behind every job that arrived since.
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
    (await cache.rPopLPush(`${queue}:processing`, queue)) !== null
  )
    moved++;
  return moved;
}
