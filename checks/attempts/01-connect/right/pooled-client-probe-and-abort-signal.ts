// right: a checked-out pool client for the probe, a timers/promises deadline, a reconnect strategy that grows once the client has been ready
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

const WAIT_MS = 2500;

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  for (const name of ['DATABASE_URL', 'REDIS_URL'] as const) {
    if (!env[name]) throw new Error(`${name} is not set`);
  }
  const db = new pg.Pool({
    connectionString: env.DATABASE_URL,
    connectionTimeoutMillis: WAIT_MS,
    max: 5,
  });
  db.on('error', (error) => console.error('pg:', error.message));
  let ready = false;
  const cache = createClient({
    url: env.REDIS_URL,
    socket: {
      connectTimeout: WAIT_MS,
      reconnectStrategy: (retries) =>
        ready ? Math.min(100 * (retries + 1), 1000) : false,
    },
  });
  cache.on('error', (error: Error) =>
    console.error('redis:', error.message),
  );

  const stop = new AbortController();
  try {
    const probe = await db.connect();
    try {
      await probe.query({ text: 'SELECT 1 AS ok' });
    } finally {
      probe.release();
    }
    const late = sleep(WAIT_MS, undefined, {
      signal: stop.signal,
    }).then(() => {
      throw new Error(`Redis did not answer within ${WAIT_MS} ms`);
    });
    late.catch(() => {});
    await Promise.race([cache.connect(), late]);
    ready = true;
  } catch (error) {
    await db.end().catch(() => {});
    if (cache.isOpen) cache.destroy();
    throw error;
  } finally {
    stop.abort();
  }

  return {
    db,
    cache,
    close: async () => {
      await db.end();
      await cache.close();
    },
  };
}
