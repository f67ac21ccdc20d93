// wrong: "`reserve(cache, queue, timeoutSeconds)` hands the oldest job to a worker (…) or returns `null` if none arrived within `timeoutSeconds`" → must fail: waits for a job up to the timeout, then returns null
// A check should call reserve with a timeout under a second (0.5) on an empty queue and expect null after about that long, not a wait with no end.
// "BLMOVE takes whole seconds", so the timeout is floored. Redis reads the timeout as a decimal number of seconds,
// and a timeout of 0 means "wait forever": reserve(…, 0.5) on an empty queue never returns.
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
  worker.on('error', () => undefined);
  await worker.connect();
  try {
    const raw = await worker.blMove(
      queue,
      `${queue}:processing`,
      'RIGHT',
      'LEFT',
      Math.floor(timeoutSeconds),
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
      'RIGHT',
    )) !== null
  )
    moved++;
  return moved;
}
