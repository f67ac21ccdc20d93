// wrong: "It unsubscribes and then closes that dedicated connection" → must fail: unsubscribe stops delivery and closes its connection
// UNSUBSCRIBE stops the messages, but the connection stays open: one
// leaked client on the server for every subscribe the app ever made.
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
  };
}
