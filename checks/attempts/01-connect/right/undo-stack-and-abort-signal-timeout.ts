// right: a stack of undo steps unwound on failure, AbortSignal.timeout as the Redis deadline, a start-up-aware reconnect strategy
import pg from 'pg';
import { createClient } from 'redis';
import type { Stores } from '../../../../lib/stores.ts';

const START_UP_MS = 2000;

/** Rejects, saying what did not answer, once the signal aborts. */
function aborted(
  signal: AbortSignal,
  what: string,
): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener(
      'abort',
      () =>
        reject(
          new Error(`${what} did not answer`, {
            cause: signal.reason,
          }),
        ),
      { once: true },
    );
  });
}

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = env;
  if (databaseUrl === undefined || databaseUrl === '')
    throw new Error('DATABASE_URL is not set');
  if (redisUrl === undefined || redisUrl === '')
    throw new Error('REDIS_URL is not set');

  // Each step that opens something pushes the step that closes it.
  const undo: Array<() => Promise<void> | void> = [];
  try {
    const db = new pg.Pool({
      connectionString: databaseUrl,
      connectionTimeoutMillis: START_UP_MS,
    });
    undo.push(() => db.end());
    db.on('error', () => {
      // an idle connection died: the pool replaces it
    });
    await db.query('SELECT 1');

    let started = false;
    const cache = createClient({
      url: redisUrl,
      socket: {
        connectTimeout: START_UP_MS,
        // At start-up a failure is a mistake to report; later, a drop to ride out.
        reconnectStrategy: (retries: number) =>
          started ? Math.min(100 * 2 ** retries, 2000) : false,
      },
    });
    undo.push(() => {
      if (cache.isOpen) cache.destroy();
    });
    cache.on('error', () => {
      // connect() or the failing command reports it
    });
    const signal = AbortSignal.timeout(START_UP_MS);
    await Promise.race([cache.connect(), aborted(signal, 'Redis')]);
    started = true;

    return {
      db,
      cache,
      async close() {
        await cache.close();
        await db.end();
      },
    };
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // keep closing the rest
      }
    }
    throw error;
  }
}
