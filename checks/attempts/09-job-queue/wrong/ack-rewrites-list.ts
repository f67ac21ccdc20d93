// wrong: "**`ack`** removes exactly that job (one copy) from `<queue>:processing` (`LREM`), and nothing else." → must fail: keeps a reserved job in <queue>:processing until ack removes it
// ack reads the processing list, drops the first copy of the job in JS and writes the rest back (DEL
// and RPUSH in one MULTI). The read is not in the transaction: a job that another worker's BLMOVE files
// between the LRANGE and the MULTI is overwritten, and a crash of that worker then loses it.
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
  const processing = `${queue}:processing`;
  const text = JSON.stringify(job);
  const inFlight = await cache.lRange(processing, 0, -1);
  const at = inFlight.indexOf(text);
  if (at === -1) return;
  const rest = [
    ...inFlight.slice(0, at),
    ...inFlight.slice(at + 1),
  ];
  const tx = cache.multi().del(processing);
  if (rest.length > 0) tx.rPush(processing, rest);
  await tx.exec();
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
