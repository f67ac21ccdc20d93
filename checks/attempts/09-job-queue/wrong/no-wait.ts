// wrong: "**`reserve` blocks, up to the timeout.** (…) a job enqueued while it waits is handed out at once" → must fail: waits for a job up to the timeout, then returns null
// LMOVE never waits: on an empty queue it answers null at once instead of waiting timeoutSeconds.
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
  void timeoutSeconds;
  const raw = await cache.lMove(
    queue,
    `${queue}:processing`,
    'RIGHT',
    'LEFT',
  );
  return raw === null ? null : (JSON.parse(raw) as Job);
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
