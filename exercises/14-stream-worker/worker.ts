// Exercise 14 — A stream worker that survives a crash.
// Task: README.md beside this file. Lesson:
// docs/lessons/11-streams.md. Check: npm test 14
import type { Cache } from '../../lib/stores.ts';

/** Anything JSON can carry. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
/** A job: any JSON object, e.g. `{ invoice: 'INV-7', to: '…' }`. */
export type Job = { [key: string]: Json };

export interface WorkerOptions {
  /** The stream's key, e.g. "mail". */
  stream: string;
  /** The consumer group every worker of this stream joins. */
  group: string;
  /** This worker's name in the group: one per live worker. */
  consumer: string;
  /** Does the job; resolves when done, throws when it failed. */
  handler: (job: Job, id: string) => Promise<void>;
  /** Deliveries a job gets before it goes to `<stream>:dead`. */
  maxDeliveries: number;
  /** How long a delivered job may stay unacknowledged before another worker takes it over. */
  claimIdleMs: number;
  /** How long one read waits for a new job. */
  blockMs: number;
}

export interface Worker {
  /** Stops reading, lets the job in hand finish, closes the worker's connection. */
  stop(): Promise<void>;
}

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  // TODO: XADD the job to `stream` as one field, `job`, holding
  // JSON.stringify(job), capped with MAXLEN ~ 1000; return the id
  // Redis gave the entry.
  throw new Error('TODO: enqueue is not written yet (exercise 14)');
}

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  // TODO: create the group from the stream's start (XGROUP CREATE
  // … 0 MKSTREAM; BUSYGROUP means it exists already, which is fine).
  // TODO: make the worker's one blocking connection
  // (cache.duplicate(), with an 'error' listener of its own).
  // TODO: loop until stop(): take over idle jobs (XAUTOCLAIM), read
  // a new one (XREADGROUP … BLOCK blockMs … >) on that connection,
  // call the handler, then XACK it, or after maxDeliveries failed
  // deliveries, file it in `<stream>:dead` and XACK it.
  // TODO: stop() ends the loop, lets the job in hand finish, and
  // closes the worker's connection (never `cache`).
  throw new Error(
    'TODO: startWorker is not written yet (exercise 14)',
  );
}
