// Exercise 09 — A reliable job queue.
// Task: README.md beside this file. Lesson:
// docs/lessons/07-beyond-caching.md (Job queues). Check: npm test
// 09
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

export async function enqueue(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  // TODO: add the job, as JSON, to the list `queue` (LPUSH: new
  // jobs on the left).
  throw new Error('TODO: enqueue is not written yet (exercise 09)');
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  // TODO: on a connection of its own (cache.duplicate(), with an
  // 'error' listener of its own: it inherits none), move the oldest
  // job from `queue` to `<queue>:processing` in one blocking step
  // (BLMOVE), waiting up to timeoutSeconds; close it after.
  // TODO: return the job as an object, or null when the timeout
  // passed with no job.
  throw new Error('TODO: reserve is not written yet (exercise 09)');
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  // TODO: the job is done: remove it (one copy) from
  // `<queue>:processing`.
  throw new Error('TODO: ack is not written yet (exercise 09)');
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  // TODO: move every job left in `<queue>:processing` back to the
  // front of `queue`; return how many.
  throw new Error('TODO: recover is not written yet (exercise 09)');
}
