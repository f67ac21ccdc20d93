// wrong: "Read DATABASE_URL and REDIS_URL from the env argument." → must fail: takes both addresses from the env it is given, with no credentials in the source
// REDIS_URL is taken apart with new URL() so host and port can sit beside the socket
// options; the username, the password and the database number (/2) are dropped on the way,
// so a URL that carries them reaches the wrong database, or is refused without its AUTH.
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
  const redisUrl = new URL(required(env, 'REDIS_URL'));

  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: WAIT_MS,
  });
  db.on('error', (error) => console.error('pg:', error.message));
  const cache = createClient({
    socket: {
      host: redisUrl.hostname,
      port: Number(redisUrl.port || 6379),
      connectTimeout: WAIT_MS,
      reconnectStrategy: false,
    },
  });
  cache.on('error', (error: Error) =>
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
