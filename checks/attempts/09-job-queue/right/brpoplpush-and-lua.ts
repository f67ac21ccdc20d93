// right: BRPOPLPUSH on a duplicate, and recover as one Lua script
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

const RECOVER = `
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do
  moved = moved + 1
end
return moved
`;

export async function enqueue(
  cache: Cache,
  queue: string,
  job: Job,
): Promise<void> {
  await cache.LPUSH(queue, JSON.stringify(job));
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
    // BRPOPLPUSH is the older spelling of BLMOVE … RIGHT LEFT.
    const raw = await worker.brPopLPush(
      queue,
      `${queue}:processing`,
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
  await cache.LREM(`${queue}:processing`, 1, JSON.stringify(job));
}

export async function recover(
  cache: Cache,
  queue: string,
): Promise<number> {
  const moved = await cache.eval(RECOVER, {
    keys: [`${queue}:processing`, queue],
  });
  return Number(moved);
}
