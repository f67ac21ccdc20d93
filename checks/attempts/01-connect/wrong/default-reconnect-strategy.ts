// wrong: "A server that cannot be reached must make connect reject within a few seconds — never hang, never retry forever" → must fail: rejects within seconds when Redis refuses connections, closes the pool and stops retrying
// connectTimeout is set, but the reconnect strategy is node-redis's
// default: an unreachable Redis is retried forever.
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
  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: 3000 },
  });
  cache.on('error', (error: Error) => console.error(error.message));
  try {
    await db.query('SELECT 1');
    await cache.connect();
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
