// right: PUBLISH from a Lua script, a stopped flag in front of the handler
import type { Cache } from '../../../../lib/stores.ts';

/** Anything JSON can carry: what an event may be. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
/** Called once for each event that arrives on the channel. */
export type Handler = (event: Json) => void;
/** Stops delivery to this subscriber and closes its connection. */
export type Unsubscribe = () => Promise<void>;

const PUBLISH = "return redis.call('PUBLISH', KEYS[1], ARGV[1])";

export async function publish(
  cache: Cache,
  channel: string,
  event: Json,
): Promise<number> {
  const received = await cache.eval(PUBLISH, {
    keys: [channel],
    arguments: [JSON.stringify(event)],
  });
  return Number(received);
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate({ name: 'subscriber' });
  subscriber.on('error', (error: unknown) => {
    console.error('subscriber connection:', error);
  });
  await subscriber.connect();
  let stopped = false;
  const listener = (message: string) => {
    if (stopped) return;
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    handler(event);
  };
  try {
    await subscriber.subscribe([channel], listener);
  } catch (error) {
    await subscriber.close();
    throw error;
  }
  return async () => {
    stopped = true;
    await subscriber.unsubscribe([channel], listener);
    await subscriber.close();
  };
}
