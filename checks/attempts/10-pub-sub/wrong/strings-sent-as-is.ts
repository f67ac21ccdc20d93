// wrong: "Messages are strings: `publish` sends `JSON.stringify(event)`" → must fail: delivers every kind of JSON value: strings, numbers, false, null, empty ones
// A string event is sent as it is ("it is a string already"), so the
// receiving side cannot parse it, or parses "42" into the number 42.
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
  const message =
    typeof event === 'string' ? event : JSON.stringify(event);
  return cache.publish(channel, message);
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      event = message;
    }
    handler(event);
  });
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
