// wrong: "**`recover`** moves every job still in `<queue>:processing` back to the front of `queue`" → must fail: recover puts every un-acked job back in the queue and says how many
// RENAME moves the whole list in one step, but it replaces `queue`: the jobs waiting there are lost.
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
  const processing = `${queue}:processing`;
  const count = await cache.lLen(processing);
  if (count === 0) return 0;
  await cache.rename(processing, queue);
  return count;
}
