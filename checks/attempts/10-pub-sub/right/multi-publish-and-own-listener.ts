// right: PUBLISH inside MULTI, unsubscribe of this very listener, then close
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
  const [receivers] = await cache
    .multi()
    .publish(channel, JSON.stringify(event))
    .exec();
  return Number(receivers);
}

function parse(message: string): { event: Json } | undefined {
  try {
    return { event: JSON.parse(message) as Json };
  } catch {
    return undefined;
  }
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  const connection = cache.duplicate();
  connection.on('error', (error: unknown) => {
    console.warn(`subscriber of ${channel}:`, error);
  });
  await connection.connect();
  // Set before UNSUBSCRIBE is sent: a message already on its way when
  // unsubscribe() is called reaches a listener that ignores it.
  let listening = true;
  const listener = (message: string): void => {
    if (!listening) return;
    const parsed = parse(message);
    if (parsed !== undefined) handler(parsed.event);
  };
  try {
    await connection.subscribe(channel, listener);
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return async () => {
    if (!listening) return;
    listening = false;
    await connection.unsubscribe(channel, listener);
    await connection.close();
  };
}
