// Exercise 09 — A reliable job queue. Reference solution.
import type { Cache } from '../../lib/stores.ts';

/** Anything JSON can carry. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
/**
 * A job: any JSON object, e.g. `{ type: 'welcome-email', userId: 42
 * }`.
 */
export type Job = { [key: string]: Json };

/**
 * Where the jobs a worker took, and has not acknowledged yet, wait.
 */
function processingOf(queue: string): string {
  return `${queue}:processing`;
}

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
  // BLMOVE holds its connection while it waits: on the shared
  // client, every other command of the application would queue up
  // behind it. So it gets a connection of its own.
  const worker = cache.duplicate();
  // a failure reaches us as the rejected BLMOVE below
  worker.on('error', () => {});
  await worker.connect();
  try {
    // One atomic step takes the oldest job and files it under
    // processing: at no moment does the job exist only in this
    // process, and no other worker can take it too.
    const raw = await worker.blMove(
      queue,
      processingOf(queue),
      'RIGHT',
      'LEFT',
      timeoutSeconds,
    );
    // null when the timeout passed with no job: JSON's null too.
    return JSON.parse(raw ?? 'null') as Job | null;
  } finally {
    worker.destroy();
  }
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  // The job went in as JSON.stringify of the same object, so this
  // is the same string.
  await cache.lRem(processingOf(queue), 1, JSON.stringify(job));
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  let moved = 0;
  // Newest reserved first, each to the front of the queue: the
  // oldest ends up next in line.
  while (
    (await cache.lMove(
      processingOf(queue),
      queue,
      'LEFT',
      'RIGHT',
    )) !== null
  )
    moved += 1;
  return moved;
}
