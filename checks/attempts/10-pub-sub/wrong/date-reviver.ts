// wrong: "the handler receives the parsed event, deep-equal to what was published" → must fail: publishes events as JSON and delivers them deep-equal
// JSON has no dates, so the subscriber parses with a reviver that turns ISO timestamps back into Date
// objects, "as the publisher surely meant". An event { at: "2025-01-01T09:00:00.000Z" } reaches the
// handler with a Date where a string was published.
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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function revive(_key: string, value: unknown): unknown {
  return typeof value === 'string' && ISO_DATE.test(value)
    ? new Date(value)
    : value;
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
      event = JSON.parse(message, revive) as Json;
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
