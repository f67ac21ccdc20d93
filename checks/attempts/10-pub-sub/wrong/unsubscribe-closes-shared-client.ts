// wrong: "It unsubscribes and then closes that dedicated connection (never the shared client, which must still answer)" → must fail: unsubscribe stops delivery and closes its connection
// A slip of the name: the shared client is closed instead of the
// dedicated one, and the rest of the app loses Redis.
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
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    handler(JSON.parse(message) as Json);
  });
  return async () => {
    await subscriber.unsubscribe(channel);
    await cache.close();
  };
}
