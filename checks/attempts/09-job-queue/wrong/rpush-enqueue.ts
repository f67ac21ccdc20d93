// wrong: "New jobs go on the left (`LPUSH`)" → must fail: hands out jobs first in, first out, as the same JSON objects
// A mirror image: RPUSH on the right, BLMOVE from the LEFT. Still first in, first out, but not the layout the queue promises (a producer using LPUSH would jump the line).
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
  await cache.rPush(queue, JSON.stringify(job));
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
      'LEFT',
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
      'LEFT',
    )) !== null
  )
    moved++;
  return moved;
}
