// wrong: "Run it on `cache.duplicate()` (connect it, and close it when done)" → must fail: blocks on a connection of its own, so the shared client stays responsive
// The duplicate is closed after a job arrives, but the early return on a timeout skips it: an idle worker leaks a connection every second.
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
  const raw = await worker.blMove(
    queue,
    `${queue}:processing`,
    'RIGHT',
    'LEFT',
    timeoutSeconds,
  );
  if (raw === null) return null;
  await worker.close();
  return JSON.parse(raw) as Job;
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
