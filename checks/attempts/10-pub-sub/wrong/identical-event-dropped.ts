// wrong: "`subscribe(cache, channel, handler)` calls `handler(event)` for every event published on the channel from now on" → must fail: publishes events as JSON and delivers them deep-equal
// The subscriber remembers the last message's text and drops one identical to it, "so a handler never
// runs twice for the same event". Two events that happen to be equal ({ type: 'tick' }, "refresh"
// twice) are two events: the second is lost.
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
  let stopped = false;
  let last: string | undefined;
  await subscriber.subscribe(channel, (message) => {
    if (stopped || message === last) return;
    let event: Json;
    try {
      event = JSON.parse(message) as Json;
    } catch {
      return;
    }
    last = message;
    handler(event);
  });
  return async () => {
    stopped = true;
    await subscriber.unsubscribe(channel);
    await subscriber.close();
  };
}
