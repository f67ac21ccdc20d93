// right: a small class holding both stores and one deadline over the whole start-up
import pg from 'pg';
import { createClient } from 'redis';
import type { Cache, Stores } from '../../../../lib/stores.ts';

const DEADLINE_MS = 2000;

class Connections implements Stores {
  constructor(
    readonly db: pg.Pool,
    readonly cache: Cache,
  ) {}

  async close(): Promise<void> {
    const results = await Promise.allSettled([
      this.db.end(),
      this.cache.isOpen ? this.cache.close() : undefined,
    ]);
    for (const r of results)
      if (r.status === 'rejected') throw r.reason;
  }
}

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl === undefined || databaseUrl === '') {
    throw new Error('DATABASE_URL is not set');
  }
  const redisUrl = env['REDIS_URL'];
  if (redisUrl === undefined || redisUrl === '') {
    throw new Error('REDIS_URL is not set');
  }

  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: DEADLINE_MS,
  });
  db.on('error', () => {});
  let up = false;
  const cache = createClient({
    url: redisUrl,
    socket: {
      connectTimeout: DEADLINE_MS,
      reconnectStrategy: (retries: number) =>
        up && Math.min(2 ** retries * 100, 3000),
    },
  });
  cache.on('error', (e: Error) =>
    console.error(`[redis] ${e.message}`),
  );
  const stores = new Connections(db, cache);

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await db.query('SELECT 1');
        await cache.connect();
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                'start-up took too long: Redis did not answer',
              ),
            ),
          DEADLINE_MS * 2,
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
  up = true;
  return stores;
}
