// wrong: "`publish(cache, channel, event)` sends the event on `channel` and returns the number of subscribers that received it (what `PUBLISH` answers)" → must fail: publish returns 0 when nobody listens, and 1 as soon as subscribe() has resolved
// "Why send into the void?": publish asks PUBSUB NUMSUB first and skips the PUBLISH when nobody listens,
// returning that count. A subscriber that joins between the two commands misses an event it should have
// heard, and the number returned is the count before the PUBLISH, not what PUBLISH answered.
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
  const counts = await cache.pubSubNumSub(channel);
  const listening = Number(counts[channel] ?? 0);
  if (listening === 0) return 0;
  await cache.publish(channel, JSON.stringify(event));
  return listening;
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = cache.duplicate();
  subscriber.on('error', () => undefined);
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
