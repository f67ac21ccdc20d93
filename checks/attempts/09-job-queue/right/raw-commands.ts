// right: raw commands through sendCommand, the blocking one on a duplicate
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
  await cache.sendCommand(['LPUSH', queue, JSON.stringify(job)]);
}

export async function reserve(
  cache: Cache,
  queue: string,
  timeoutSeconds: number,
): Promise<Job | null> {
  const conn = cache.duplicate();
  // Its own listener: a drop would otherwise throw and end the process.
  conn.on('error', () => undefined);
  await conn.connect();
  try {
    const raw = await conn.sendCommand<string | null>([
      'BLMOVE',
      queue,
      `${queue}:processing`,
      'RIGHT',
      'LEFT',
      String(timeoutSeconds),
    ]);
    if (typeof raw !== 'string') return null;
    return JSON.parse(raw) as Job;
  } finally {
    conn.destroy();
  }
}

export async function ack(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.sendCommand([
    'LREM',
    `${queue}:processing`,
    '1',
    JSON.stringify(job),
  ]);
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const raw = await cache.sendCommand<string | null>([
      'LMOVE',
      `${queue}:processing`,
      queue,
      'LEFT',
      'RIGHT',
    ]);
    if (raw === null) return moved;
    moved += 1;
  }
}
