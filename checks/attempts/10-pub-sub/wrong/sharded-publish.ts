// wrong: "`publish(cache, channel, event)` sends the event on `channel` and returns the number of subscribers that received it (what `PUBLISH` answers)." → must fail: fans out to every subscriber
// SPUBLISH is the sharded cousin of PUBLISH: SUBSCRIBE-ers never hear
// it, so nobody receives the event and the count is 0.
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
  return cache.sPublish(channel, JSON.stringify(event));
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
    await subscriber.close();
  };
}
