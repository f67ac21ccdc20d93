// wrong: "No credentials in the source: no postgres://… or redis://… literal, no password." → must fail: takes both addresses from the env it is given, with no credentials in the source
// Falls back to a local development address when the variable is
// absent, so the source carries a connection string.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

const LOCAL_DATABASE =
  'postgres://course:course@localhost:5432/course';
const LOCAL_REDIS = 'redis://localhost:6379';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const databaseUrl = env.DATABASE_URL ?? LOCAL_DATABASE;
  const redisUrl = env.REDIS_URL ?? LOCAL_REDIS;
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
