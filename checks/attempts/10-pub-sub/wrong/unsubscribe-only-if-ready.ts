// wrong: "It unsubscribes and then closes that dedicated connection" → must fail: unsubscribe stops delivery and closes its connection
// A check should kill the subscriber's connection (CLIENT KILL), call unsubscribe() while it reconnects, and still find its connection gone within 2 s.
// close() throws on a client that is not connected, so unsubscribe() cleans up only a ready client. A
// subscriber whose connection just dropped is reconnecting, not ready: unsubscribe() does nothing, the
// client reconnects, node-redis subscribes it again, and the handler keeps being called.
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

export async function publish(
  cache: Cache,
  channel: string,
  event: Json,
): Promise<number> {
  return cache.publish(channel, JSON.stringify(event));
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    handler(event);
  });
  return async () => {
    if (!subscriber.isReady) return;
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
