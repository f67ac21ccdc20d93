// wrong: "the handler receives the parsed event, deep-equal to what was published, exactly once." → must fail: publishes events as JSON and delivers them deep-equal
// The message is handed on as it came: the JSON text, not the event.
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
  // the listener already gets a string, and a string is Json
  await subscriber.subscribe(channel, (message) =>
    handler(message),
  );
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
