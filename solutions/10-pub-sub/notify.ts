// Exercise 10 — Fan-out with pub/sub. Reference solution.
import type { Cache } from '../../lib/stores.ts';

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
  // Fire-and-forget: the count is who was listening at this moment;
  // nothing is stored for later.
  return cache.publish(channel, JSON.stringify(event));
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  // A subscribed connection can only receive messages, so it must
  // not be the shared client.
  const subscriber = cache.duplicate();
  // failures reach the caller as rejected commands
  subscriber.on('error', () => {});
  await subscriber.connect();
  try {
    await subscriber.subscribe(channel, (message) => {
      let event: Json;
      try {
        event = JSON.parse(message) as Json;
      } catch {
        // not an event of ours: ignore it rather than break the
        // subscription
        return;
      }
      handler(event);
    });
  } catch (error) {
    subscriber.destroy();
    throw error;
  }
  // Closing the connection ends its subscription: the server forgets
  // a closed client's channels, and nothing arrives after it.
  return () => subscriber.close();
}
