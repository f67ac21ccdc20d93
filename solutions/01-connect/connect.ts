// Exercise 01 — Connect to both stores. Reference solution.
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
  db.on('error', (error) =>
    console.error('postgres: idle client error:', error.message),
  );

  let started = false;
  const cache = createClient({
    url: redisUrl,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At start-up, fail fast: an unreachable Redis is a
      // configuration problem to report. Once running, keep
      // reconnecting with a capped back-off: Redis restarts are
      // routine.
      reconnectStrategy: (retries) =>
        started ? Math.min(50 * 2 ** retries, 2000) : false,
    },
  });
  // Without an error listener, a dropped connection would crash the
  // whole process.
  cache.on('error', (error: Error) =>
    console.error('redis:', error.message),
  );

  try {
    // the pool is lazy: prove Postgres answers now
    await db.query('SELECT 1');
    // connectTimeout covers the TCP connection only; a server that
    // accepts it and then says nothing would keep connect() waiting
    // forever, so start-up gets a deadline of its own.
    await deadline(
      cache.connect(),
      CONNECT_TIMEOUT_MS,
      'Redis did not answer',
    );
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

function deadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() =>
    clearTimeout(timer),
  );
}
