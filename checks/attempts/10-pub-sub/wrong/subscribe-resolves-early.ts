// wrong: "`subscribe(cache, channel, handler)` calls `handler(event)` for every event published on the channel from now on" → must fail: publish returns 0 when nobody listens, and 1 as soon as subscribe() has resolved
// subscribe() resolves before the server has the subscription: an event
// published right after it is lost (pub/sub keeps nothing).
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
  const ready = subscriber.connect().then(() =>
    subscriber.subscribe(channel, (message) => {
      handler(JSON.parse(message) as Json);
    }),
  );
  return async () => {
    await ready;
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
