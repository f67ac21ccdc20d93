// node-redis builds the command table of a client anew on every createClient() (a few
// milliseconds each, and a check file makes one or more per check). A duplicate shares its
// original's: every client the harness makes is a duplicate of one made once per process, with
// the same options createClient() would take.
import { createClient, type RedisClientOptions } from 'redis';
import type { Cache } from '../../lib/stores.ts';

const TEMPLATE = Symbol.for('course.redis-client-template');
const processWide = globalThis as typeof globalThis & { [TEMPLATE]?: Cache };

/** A new, unconnected client, as `createClient(options)` would make it. */
export function redisClient(options: RedisClientOptions): Cache {
  const template = (processWide[TEMPLATE] ??= createClient());
  return template.duplicate(options) as unknown as Cache;
}
