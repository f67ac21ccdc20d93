// wrong: "If one is missing, reject with an error that names the missing variable" → must fail: rejects naming DATABASE_URL when it is missing or empty, and opens nothing
// One message for both variables: the learner is told something is
// missing, not which.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = env;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      'connection settings are missing from the environment',
    );
  }
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
