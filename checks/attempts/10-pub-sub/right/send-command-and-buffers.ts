// right: PUBLISH through sendCommand, a listener in buffer mode
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
  const received = await cache.sendCommand([
    'PUBLISH',
    channel,
    JSON.stringify(event),
  ]);
  return Number(received);
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  subscriber.on('error', () => {});
  await subscriber.connect();
  const onMessage = (message: Buffer): void => {
    let event: Json;
    try {
      event = JSON.parse(message.toString('utf8')) as Json;
    } catch {
      return;
    }
    handler(event);
  };
  let subscribed = false;
  try {
    await subscriber.subscribe(channel, onMessage, true);
    subscribed = true;
  } finally {
    if (!subscribed) subscriber.destroy();
  }
  return async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
