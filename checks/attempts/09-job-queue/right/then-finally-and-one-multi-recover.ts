// right: reserve as a promise chain ending in finally(), recover as LLEN then one MULTI of LMOVEs
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

const processingOf = (queue: string): string =>
  `${queue}:processing`;

export async function enqueue(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.multi().lPush(queue, JSON.stringify(job)).exec();
}

export function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const conn = cache.duplicate();
  conn.on('error', (error: unknown) => {
    console.warn('reserve connection:', error);
  });
  return conn
    .connect()
    .then((c) =>
      c.blMove(
        queue,
        processingOf(queue),
        'RIGHT',
        'LEFT',
        timeoutSeconds,
      ),
    )
    .then((raw) => (raw === null ? null : (JSON.parse(raw) as Job)))
    .finally(() => {
      // A client that is not open (its connect() failed) has nothing to
      // end, and destroy() would throw over the original error.
      if (conn.isOpen) conn.destroy();
    });
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.sendCommand([
    'LREM',
    processingOf(queue),
    '1',
    JSON.stringify(job),
  ]);
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  // No worker is busy while recover runs, so the length read first is
  // still the length when the MULTI runs; the count of moves that
  // found a job is the answer either way.
  const waiting = await cache.lLen(processingOf(queue));
  if (waiting === 0) return 0;
  const tx = cache.multi();
  for (let i = 0; i < waiting; i++)
    tx.lMove(processingOf(queue), queue, 'LEFT', 'RIGHT');
  const replies = await tx.exec();
  return replies.filter((reply) => reply !== null).length;
}
