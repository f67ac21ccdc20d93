// wrong: "**`ack`** removes exactly that job (one copy) from `<queue>:processing` (`LREM`), and nothing else." → must fail: keeps a reserved job in <queue>:processing until ack removes it
// "Once a job is done, a copy still waiting would only do it again": ack removes the job from the
// processing list and every identical copy from the queue too. A job enqueued twice on purpose (two
// equal reminders, a retry enqueued after a failure) loses its waiting copies to the first ack.
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
  const text = JSON.stringify(job);
  await cache
    .multi()
    .lRem(`${queue}:processing`, 1, text)
    .lRem(queue, 0, text)
    .exec();
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
