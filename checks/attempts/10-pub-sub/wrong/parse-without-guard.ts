// wrong: "A message that is not JSON is skipped: the handler is not called for it, and the subscription goes on." → must fail: skips a message that is not JSON, and the subscription goes on
// JSON.parse throws on a message someone else sent as plain text, and
// the throw escapes into the client that delivers the messages.
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
    await subscriber.close();
  };
}
