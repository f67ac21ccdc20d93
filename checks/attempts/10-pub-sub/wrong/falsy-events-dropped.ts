// wrong: "An event is any JSON value (`Json`)." → must fail: delivers every kind of JSON value: strings, numbers, false, null, empty ones
// "Nothing parsed, nothing to hand on": the truthiness test also drops
// the events 0, false, "" and null.
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
    let event: Json | undefined;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      event = undefined;
    }
    if (!event) return;
    handler(event);
  });
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
