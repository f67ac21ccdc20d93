// right: closing the dedicated connection is the unsubscribe
// A closed connection is subscribed to nothing: the server drops the
// subscription with the connection.
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
  const json = JSON.stringify(event);
  const receivers = await cache.publish(channel, json);
  return receivers;
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  // Its own listener: a drop would otherwise throw and end the process.
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  const onMessage = (message: string): void => {
    try {
      handler(JSON.parse(message) as Json);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  };
  // A refused SUBSCRIBE leaves a connection nobody will close.
  await subscriber
    .subscribe(channel, onMessage)
    .catch(async (error) => {
      await subscriber.close();
      throw error;
    });
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await subscriber.close();
  };
}
