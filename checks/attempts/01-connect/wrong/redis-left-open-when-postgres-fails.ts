// wrong: "If one fails, close what you opened before rejecting: the pool, and the Redis client, so that it makes no further attempts." → must fail: rejects within seconds when Postgres refuses or never answers
// Redis is connected first and Postgres probed second; when Postgres fails, only the
// pool is ended, as if the pool were the only thing that failed: the ready Redis
// client stays connected after connect() has rejected.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

const WAIT_MS = 3000;

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const databaseUrl = required(env, 'DATABASE_URL');
  const redisUrl = required(env, 'REDIS_URL');

  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: WAIT_MS, reconnectStrategy: false },
  });
  cache.on('error', (error: Error) =>
    console.error('redis:', error.message),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      cache.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('Redis did not answer in time')),
          WAIT_MS,
        );
      }),
    ]);
  } catch (error) {
    if (cache.isOpen) cache.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: WAIT_MS,
  });
  db.on('error', (error) => console.error('pg:', error.message));
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.end().catch(() => {});
    throw error;
  }

  return {
    db,
    cache,
    async close() {
      await Promise.all([db.end(), cache.close()]);
    },
  };
}
