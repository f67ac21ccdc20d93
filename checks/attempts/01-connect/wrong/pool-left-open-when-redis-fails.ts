// wrong: "If one fails, close the other before rejecting." → must fail: rejects within seconds when Redis refuses connections, closes the pool and stops retrying
// Postgres is proven first; when Redis then fails, the error travels
// up but the pool's connection stays open.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  if (!redisUrl) throw new Error('REDIS_URL is not set');
  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 3000,
  });
  db.on('error', () => {});
  await db.query('SELECT 1');

  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  cache.on('error', (error: Error) => console.error(error.message));
  await withTimeout(cache.connect(), 3000);
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
