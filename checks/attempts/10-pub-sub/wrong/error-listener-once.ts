// wrong: "every duplicate needs an `error` listener of its own: it inherits none from `cache`" → must fail: survives its connection dropping: an error listener of its own, and the subscription goes on
// A check should kill the subscriber's connection more than once (CLIENT KILL) while the subscription is open and see the process survive.
// The listener is attached with once(), "to log that the subscriber lost its connection": it handles the
// first error and is gone. The duplicate reconnects by itself, and its next error has no listener: Node
// throws it and the process exits.
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
  subscriber.once('error', (error: unknown) => {
    console.error('subscriber connection:', error);
  });
  await subscriber.connect();
  let stopped = false;
  await subscriber.subscribe(channel, (message) => {
    if (stopped) return;
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    handler(event);
  });
  return async () => {
    stopped = true;
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
