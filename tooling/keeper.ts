// A run's live connections: one to Postgres, one to Redis, each carrying the run's live name,
// held from the run's start to its end and re-made if a server restarts. While they stand,
// no other run releases what this one holds (see release.ts); when the run dies, they go.
import type pg from 'pg';
import { liveName } from './run-names.ts';

export interface Keeper {
  close(): Promise<void>;
}

export async function keepAlive(postgresUrl: string, redisUrl: string, runId: string): Promise<Keeper> {
  const [{ default: pgModule }, { createClient }] = await Promise.all([import('pg'), import('redis')]);
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connectPostgres = async (): Promise<void> => {
    const next = new pgModule.Client({
      connectionString: postgresUrl,
      connectionTimeoutMillis: 3000,
      application_name: liveName(runId),
    });
    client = next;
    const again = () => {
      if (closed || client !== next) return;
      client = undefined;
      retry = setTimeout(() => void connectPostgres(), 500);
      retry.unref();
    };
    next.on('error', again);
    next.on('end', again);
    await next.connect().catch(again);
  };
  const cache = createClient({
    url: redisUrl,
    name: liveName(runId),
    socket: { connectTimeout: 3000, reconnectStrategy: () => 500 },
  });
  cache.on('error', () => {});
  await Promise.allSettled([connectPostgres(), cache.connect()]);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await Promise.allSettled([client?.end(), cache.isOpen ? cache.close() : undefined]);
      if (cache.isOpen) cache.destroy();
    },
  };
}
