// right: Redis first, a reconnect function bounded until the first PING answers, sendCommand PING and quit()
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value)
    throw new Error(`Missing environment variable ${name}`);
  return value;
}

function timeout(ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const redisUrl = required(env, 'REDIS_URL');
  const databaseUrl = required(env, 'DATABASE_URL');

  let connected = false;
  const cache = createClient({
    url: redisUrl,
    socket: {
      connectTimeout: 2000,
      // Two quick retries at start-up; once connected, as many as it takes.
      reconnectStrategy: (retries: number, cause: Error) =>
        connected || retries < 2 ? 100 : cause,
    },
  });
  cache.on('error', () => {
    // reported by connect() or by the command that failed
  });
  const redisDeadline = timeout(3000, 'Redis is not answering');
  try {
    await Promise.race([
      cache
        .connect()
        .then(() => cache.sendCommand(['PING']))
        .then(() => {
          connected = true;
        }),
      redisDeadline.promise,
    ]);
  } catch (error) {
    if (cache.isOpen) cache.destroy();
    throw error;
  } finally {
    redisDeadline.cancel();
  }

  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 3000,
  });
  db.on('error', () => {});
  try {
    await db.query('SELECT now()');
  } catch (error) {
    await db.end().catch(() => {});
    await cache.quit();
    throw error;
  }

  return {
    db,
    cache,
    async close() {
      await cache.quit();
      await db.end();
    },
  };
}
