// wrong: "or returns `null` if none arrived within `timeoutSeconds`" → must fail: waits for a job up to the timeout, then returns null
// A check should make BLMOVE fail (the queue key holding a string: WRONGTYPE, or an unreachable server) and expect reserve to reject, not answer null at once.
// "A worker loop must not crash on a Redis hiccup": every error of reserve is caught and reported as
// null, the answer for "no job came". A broken queue or a lost server looks like an empty queue, and a
// loop that retries at once on null spins without ever waiting.
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
  try {
    await worker.connect();
    const raw = await worker.blMove(
      queue,
      `${queue}:processing`,
      'RIGHT',
      'LEFT',
      timeoutSeconds,
    );
    return raw === null ? null : (JSON.parse(raw) as Job);
  } catch {
    return null;
  } finally {
    worker.destroy();
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
