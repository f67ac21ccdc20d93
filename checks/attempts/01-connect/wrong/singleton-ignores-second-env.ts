// wrong: "The addresses come from the env you are given (the checks pass their own object)." → must fail: takes both addresses from the env it is given, with no credentials in the source
// "An application makes one of each", taken literally: the first connect() is kept in a
// module variable and every later call gets it back, whatever env it was given.
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

const WAIT_MS = 3000;
let shared: Promise<Stores> | undefined;

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
  shared ??= open(databaseUrl, redisUrl).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function open(
  databaseUrl: string,
  redisUrl: string,
): Promise<Stores> {
  const db = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: WAIT_MS,
  });
  db.on('error', (error) => console.error('pg:', error.message));
  const cache = createClient({
    url: redisUrl,
    socket: { connectTimeout: WAIT_MS, reconnectStrategy: false },
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
      shared = undefined;
      await Promise.all([db.end(), cache.close()]);
    },
  };
}
