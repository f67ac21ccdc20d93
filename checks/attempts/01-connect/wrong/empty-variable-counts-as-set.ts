// wrong: "If one is missing (unset or empty), reject with an error that names the missing variable, and open nothing." → must fail: rejects naming DATABASE_URL when it is missing or empty, and opens nothing
// Only `undefined` counts as missing: DATABASE_URL="" slips through,
// and pg quietly falls back to its own defaults (localhost:5432).
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (databaseUrl === undefined)
    throw new Error('DATABASE_URL is not set');
  if (redisUrl === undefined)
    throw new Error('REDIS_URL is not set');
  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 3000,
  });
  db.on('error', () => {});
  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  cache.on('error', (error: Error) => console.error(error.message));
  try {
    await db.query('SELECT 1');
    await withTimeout(cache.connect(), 3000);
  } catch (error) {
    await db.end().catch(() => {});
    if (cache.isOpen) cache.destroy();
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
