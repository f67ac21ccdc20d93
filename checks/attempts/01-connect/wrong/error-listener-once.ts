// wrong: "Make one pg.Pool (db) and one node-redis client (cache, from createClient) with an error listener attached." → must fail: makes one pg.Pool and one Redis client with an error listener
// The listeners are attached with once(): the first error is logged and removes them, so the
// second dropped connection (Redis restarting twice, say) has nobody listening and crashes the
// process. "I only want to log it once" is how a learner gets there.
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

  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: WAIT_MS,
  });
  db.once('error', (error) => console.error('pg:', error.message));
  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: WAIT_MS, reconnectStrategy: false },
  });
  cache.once('error', (error: Error) =>
    console.error('redis:', error.message),
  );

  let timer: NodeJS.Timeout | undefined;
  try {
    await db.query('SELECT 1');
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
    await db.end().catch(() => {});
    if (cache.isOpen) cache.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    db,
    cache,
    async close() {
      await Promise.all([db.end(), cache.close()]);
    },
  };
}
