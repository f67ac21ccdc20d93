// right: both servers probed at once with Promise.allSettled, destroy() on failure
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter(
    (name) => !env[name],
  );
  if (missing.length > 0) {
    throw new Error(`Not set: ${missing.join(', ')}`);
  }

  const db = new pg.Pool({
    connectionString: env.DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  db.on('error', (error) => console.warn(error.message));
  // Retry only once start-up has succeeded: a Redis restart then is routine.
  let running = false;
  const cache = createClient({
    url: env.REDIS_URL,
    socket: {
      connectTimeout: 3000,
      reconnectStrategy: () => (running ? 250 : false),
    },
  });
  cache.on('error', (error: Error) => console.warn(error.message));

  let timer: NodeJS.Timeout | undefined;
  const redisReady = Promise.race([
    cache.connect().then(() => cache.ping()),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('Redis: no answer in 3 s')),
        3000,
      );
    }),
  ]);
  const results = await Promise.allSettled([
    db.query('SELECT 1'),
    redisReady,
  ]);
  clearTimeout(timer);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await db.end().catch(() => {});
    try {
      cache.destroy();
    } catch {
      // never opened, or already closed by the failed attempt
    }
    throw failure.reason;
  }
  running = true;

  return {
    db,
    cache,
    async close() {
      await Promise.allSettled([db.end(), cache.close()]);
    },
  };
}
