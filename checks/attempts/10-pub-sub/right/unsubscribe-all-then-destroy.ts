// right: UNSUBSCRIBE from every channel, then destroy the connection
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

export function publish(
  cache: Cache,
  channel: string,
  event: Json,
): Promise<number> {
  return cache.PUBLISH(channel, JSON.stringify(event));
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  subscriber.on('error', () => {});
  await subscriber.connect();
  const deliver = (message: string): void => {
    const parsed: unknown = (() => {
      try {
        return { event: JSON.parse(message) as Json };
      } catch {
        return undefined;
      }
    })();
    if (parsed === undefined) return;
    handler((parsed as { event: Json }).event);
  };
  await subscriber.subscribe(channel, deliver).catch((error) => {
    subscriber.destroy();
    throw error;
  });
  return async () => {
    if (!subscriber.isOpen) return;
    await subscriber.unsubscribe();
    subscriber.destroy();
  };
}
