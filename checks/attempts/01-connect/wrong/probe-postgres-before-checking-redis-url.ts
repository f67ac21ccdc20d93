// wrong: "If one is missing, reject with an error that names the missing variable, and open nothing." → must fail: rejects naming REDIS_URL when it is missing or empty, and opens nothing
// Checks DATABASE_URL, proves Postgres answers, and only then looks
// for REDIS_URL: a missing REDIS_URL leaves the pool open.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const db = new pg.Pool({
    connectionString: env.DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  db.on('error', () => {});
  await db.query('SELECT 1');

  if (!env.REDIS_URL) throw new Error('REDIS_URL is not set');
  const cache = createClient({
    url: env.REDIS_URL,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  cache.on('error', (error: Error) => console.error(error.message));
  try {
    await withTimeout(cache.connect(), 3000);
  } catch (error) {
    await db.end();
    if (cache.isOpen) cache.destroy();
    throw error;
  }
  return {
    db,
    cache,
    async close() {
      await db.end();
      await cache.close();
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('Redis did not answer')),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
