// wrong: "`subscribe` makes a dedicated one with `cache.duplicate()` (and connects it), never subscribing on the shared client." → must fail: subscribes on a connection of its own, and the shared client keeps answering
// The client is already connected, so why open another? Because a
// subscribed connection can do nothing else: the app's GETs stall.
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
  await cache.subscribe(channel, (message) => {
    handler(JSON.parse(message) as Json);
  });
  return async () => {
    await cache.unsubscribe(channel);
  };
}
