// wrong: "A job popped with `RPOP` or `BRPOP` lives only in the worker's memory, and a crash loses it" → must fail: keeps a reserved job in <queue>:processing until ack removes it
// BRPOP hands the job over and forgets it: nothing is left to ack or to recover.
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
    return reply === null
      ? null
      : (JSON.parse(reply.element) as Job);
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
