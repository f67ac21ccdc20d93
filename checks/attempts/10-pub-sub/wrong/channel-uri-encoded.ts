// wrong: "`publish(cache, channel, event)` sends the event on `channel`" → must fail: each handler hears its own channel only, even when names hold * or ?
// Channel names go through encodeURIComponent on both sides, "to keep odd characters off the wire".
// publish and subscribe agree with each other, but not with anyone else on the channel: a client that
// publishes on "jobs?" or "café" directly is not heard, and this publish reaches "jobs%3F" instead.
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

const wireName = (channel: string): string =>
  encodeURIComponent(channel);

export async function publish(
  cache: Cache,
  channel: string,
  event: Json,
): Promise<number> {
  return cache.publish(wireName(channel), JSON.stringify(event));
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  let stopped = false;
  await subscriber.subscribe(wireName(channel), (message) => {
    if (stopped) return;
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    handler(event);
  });
  return async () => {
    stopped = true;
    await subscriber.unsubscribe(wireName(channel));
    await subscriber.close();
  };
}
