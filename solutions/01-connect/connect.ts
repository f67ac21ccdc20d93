// Exercise 01 — Connect to both stores. Reference solution.
import { once } from 'node:events';
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../lib/stores.ts';

/**
 * How long a server may take to answer before start-up gives up.
 */
const CONNECT_TIMEOUT_MS = 3000;

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  // Credentials come from the environment, never from the source.
  // Check both before opening anything.
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl)
    throw new Error(
      'DATABASE_URL is not set: export the URL of your Postgres server',
    );
  if (!redisUrl)
    throw new Error(
      'REDIS_URL is not set: export the URL of your Redis server',
    );

  // One pool for the whole process; it opens connections lazily and
  // reuses them.
  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // Without an error listener, a dropped connection would crash the
  // whole process.
  db.on('error', logDropped);

  let started = false;
  const cache = createClient({
    url: redisUrl,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At start-up, fail fast: an unreachable Redis is a
      // configuration problem to report. Once running, try again
      // every half second: Redis restarts are routine.
      reconnectStrategy: () => started && 500,
    },
  });
  cache.on('error', logDropped);

  try {
    // the pool is lazy: prove Postgres answers now
    (await db.connect()).release();
    // connectTimeout covers the TCP connection only; a server that
    // accepts it and then says nothing would keep connect() waiting
    // forever, so start-up gets a deadline of its own.
    const deadline = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
    await Promise.race([
      cache.connect(),
      once(deadline, 'abort').then(() => {
        throw new Error(
          `Redis did not answer within ${CONNECT_TIMEOUT_MS} ms`,
        );
      }),
    ]);
    started = true;
  } catch (error) {
    await db.end().catch(() => {});
    if (cache.isOpen) cache.destroy();
    throw error;
  }

  return {
    db,
    cache,
    async close() {
      await Promise.allSettled([
        db.end(),
        cache.isOpen ? cache.close() : Promise.resolve(),
      ]);
    },
  };
}

/** Both clients reconnect by themselves: a dropped connection is news, not a crash. */
function logDropped(error: Error): void {
  console.error(error);
}
