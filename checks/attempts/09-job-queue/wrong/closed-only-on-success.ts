// wrong: "Once `reserve` returns, with a job or with `null`, its connection must be closed." → must fail: blocks on a connection of its own, so the shared client stays responsive
// A check should make BLMOVE fail (the queue key holding a string: WRONGTYPE) and look for the duplicate in CLIENT LIST after reserve rejects.
// close() sits after the BLMOVE with no try/finally: when the BLMOVE rejects, the error leaves reserve
// and the duplicate stays connected. A worker loop that retries after errors leaks a connection each time.
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
  const raw = await worker.blMove(
    queue,
    `${queue}:processing`,
    'RIGHT',
    'LEFT',
    timeoutSeconds,
  );
  await worker.close();
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
