// wrong: "A channel is a name, not a pattern: a subscriber of `alerts*` hears `alerts*` and nothing else." → must fail: each handler hears its own channel only, even when names hold * or ?
// PSUBSCRIBE takes the channel name as a glob pattern: a name with * or
// ? in it also hears events of other channels.
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
  await subscriber.pSubscribe(channel, (message) => {
    handler(JSON.parse(message) as Json);
  });
  return async () => {
    await subscriber.pUnsubscribe(channel);
    await subscriber.close();
  };
}
