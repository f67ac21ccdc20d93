// wrong: "Once `reserve` returns, with a job or with `null`, its connection must be closed." → must fail: blocks on a connection of its own, so the shared client stays responsive
// The lesson's worker keeps its blocking connection for life, so this reserve makes one duplicate per
// shared client, keeps it in a module WeakMap and reuses it on every call. It is never closed: after
// reserve returns, its connection is still on the server, and concurrent reserves queue behind one BLMOVE.
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

const blocking = new WeakMap<Cache, Cache>();

async function blockingClient(cache: Cache): Promise<Cache> {
  let worker = blocking.get(cache);
  if (worker === undefined) {
    worker = cache.duplicate();
    worker.on('error', () => undefined);
    blocking.set(cache, worker);
    await worker.connect();
  }
  return worker;
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const worker = await blockingClient(cache);
  const raw = await worker.blMove(
    queue,
    `${queue}:processing`,
    'RIGHT',
    'LEFT',
    timeoutSeconds,
  );
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
