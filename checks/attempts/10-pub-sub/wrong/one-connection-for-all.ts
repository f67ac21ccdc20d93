// wrong: "`publish` returns 0 when nobody listens, and 3 with three subscribers." → must fail: fans out to every subscriber
// One dedicated connection shared by every subscriber of the process,
// to save connections: the server sees one receiver, not three.
import type { RedisClientType } from 'redis';
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

let shared: Promise<RedisClientType> | undefined;

async function subscriberFor(
  cache: Cache,
): Promise<RedisClientType> {
  shared ??= (async () => {
    const client = cache.duplicate() as RedisClientType;
    await client.connect();
    return client;
  })();
  return shared;
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const subscriber = await subscriberFor(cache);
  const listener = (message: string) => {
    handler(JSON.parse(message) as Json);
  };
  await subscriber.subscribe(channel, listener);
  return async () => {
    await subscriber.unsubscribe(channel, listener);
  };
}
