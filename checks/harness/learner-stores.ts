// The clients the learner's code receives in a check: a pg.Pool as the learner's role, on this
// file's database through its gate (so what it sends lands in the Course's SQL record), and a
// node-redis client logged in as the learner's user on this file's logical database.
import pg from 'pg';
import type { Cache, Stores } from '../../lib/stores.ts';
import { withDeadline } from '../../tooling/deadline.ts';
import type { Gate } from './gate.ts';
import { redisClient } from './redis-client.ts';

export interface ObservedStores extends Stores {
  /** Errors the Redis client emitted (its `error` events). */
  redisErrors: Error[];
}

export type LearnerCache = Cache & { errors: Error[] };

/** A pool on the learner's database URL (through the gate); its idle errors are the learner's code's to see, not the check's. */
export function observedPool(databaseUrl: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 5000, ...options });
  pool.on('error', () => {});
  return pool;
}

/** A connected client as the learner's Redis user, keeping the errors it emitted. */
export async function learnerCache(url: string): Promise<LearnerCache> {
  const cache = redisClient({
    url,
    socket: { connectTimeout: 2000, reconnectStrategy: (n) => (n > 50 ? false : 50) },
  });
  const errors: Error[] = [];
  cache.on('error', (e: Error) => errors.push(e));
  await cache.connect();
  // A round trip after the handshake: its SELECT must not land inside a check's watch().
  await cache.ping();
  return Object.assign(cache, { errors });
}

/** The two as the learner's Stores; close() ends both, cutting at the gate what the code under check kept checked out. */
export async function learnerStores(db: pg.Pool, cache: LearnerCache, gate: Gate): Promise<ObservedStores> {
  let closed = false;
  return {
    db,
    cache,
    redisErrors: cache.errors,
    async close() {
      if (closed) return;
      closed = true;
      if (cache.isOpen) cache.destroy();
      // pool.end() waits for every client to be released: one the code under check kept checked
      // out would hold it for ever, so the gate cuts what is still open (the check is over).
      const ended = await withDeadline(
        db.end().then(
          () => true,
          () => true,
        ),
        500,
      );
      if (ended !== true) gate.cut();
    },
  };
}
