// Exercise 10 — Fan-out with pub/sub.
// Task: README.md beside this file. Lesson:
// docs/lessons/07-beyond-caching.md (Pub/sub). Check: npm test 10
import type { Cache } from '../../lib/stores.ts';

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
  // TODO: PUBLISH the event as JSON on `channel`; return how many
  // subscribers received it.
  throw new Error('TODO: publish is not written yet (exercise 10)');
}

export async function subscribe(
  cache: Cache,
  channel: string,
  handler: Handler,
): Promise<Unsubscribe> {
  // TODO: subscribe on a connection of its own (cache.duplicate(),
  // with an 'error' listener of its own: it inherits none), never
  // on the shared client. TODO: hand each message to `handler` as
  // the parsed JSON event (skip one that is not JSON). TODO: return
  // a function that unsubscribes and then closes that connection.
  throw new Error(
    'TODO: subscribe is not written yet (exercise 10)',
  );
}
