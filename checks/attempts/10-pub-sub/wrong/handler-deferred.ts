// wrong: "`unsubscribe()` returns a promise and, once it resolves, the handler is called no more." → must fail: once unsubscribe() resolves, the handler is called no more
// The handler runs on setImmediate, "so a slow handler never holds up the connection's reader". Events
// that arrived just before the UNSUBSCRIBE are still queued when unsubscribe() resolves, and their
// handler calls run after it.
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
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    setImmediate(() => handler(event));
  });
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
