// wrong: "Exactly one pool and one Redis client; no connection left open after close()" → must fail: close() ends both clients and leaves no connection open
// Proves Redis answers with a throwaway client, then hands out a
// duplicate; the probe's connection is never closed.
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
  const probe = createClient({
    url: redisUrl,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  probe.on('error', (error: Error) => console.error(error.message));
  try {
    await db.query('SELECT 1');
    await withTimeout(probe.connect(), 3000);
    await probe.ping();
  } catch (error) {
    await db.end().catch(() => {});
    if (probe.isOpen) probe.destroy();
    throw error;
  }
  const cache = probe.duplicate();
  cache.on('error', (error: Error) => console.error(error.message));
  await cache.connect();
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
