// A run's live connections: one to Postgres, one to Redis, each carrying the run's live name,
// held from the run's start to its end and re-made if a server restarts. While they stand,
// no other run releases what this one holds (see release.ts); when the run dies, they go.
import type pg from 'pg';
import type { RespClient } from './resp.ts';
import { liveName } from './run-names.ts';

export interface Keeper {
  /** The live connections as they stand now (either may be missing while it is re-made). */
  connections(): { postgres?: pg.Client; redis?: RespClient };
  close(): Promise<void>;
}

export async function keepAlive(postgresUrl: string, redisUrl: string, runId: string): Promise<Keeper> {
  const [{ default: pgModule }, { connectResp }] = await Promise.all([import('pg'), import('./resp.ts')]);
  let closed = false;
  let client: pg.Client | undefined;
  /** The client above, once connected (and until it ends). */
  let ready: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connectPostgres = async (): Promise<void> => {
    const next = new pgModule.Client({
      connectionString: postgresUrl,
      connectionTimeoutMillis: 3000,
      // The run's release at its end goes through this connection too: bounded like its own.
      query_timeout: 10_000,
      application_name: liveName(runId),
    });
    client = next;
    const again = () => {
      if (ready === next) ready = undefined;
      if (closed || client !== next) return;
      client = undefined;
      retry = setTimeout(() => void connectPostgres(), 500);
      retry.unref();
    };
    next.on('error', again);
    next.on('end', again);
    await next.connect().then(() => {
      if (client === next) ready = next;
    }, again);
  };
  let cache: RespClient | undefined;
  let redisRetry: NodeJS.Timeout | undefined;
  const connectRedis = async (): Promise<void> => {
    const again = () => {
      if (closed) return;
      redisRetry = setTimeout(() => void connectRedis(), 500);
      redisRetry.unref();
    };
    try {
      const next = await connectResp(redisUrl, { name: liveName(runId), connectTimeoutMs: 3000 });
      if (closed) return next.destroy();
      cache = next;
      void next.closed.then(() => {
        if (cache !== next) return;
        cache = undefined;
        again();
      });
    } catch {
      again();
    }
  };
  await Promise.allSettled([connectPostgres(), connectRedis()]);
  return {
    connections: () => ({ postgres: ready, redis: cache }),
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(redisRetry);
      await Promise.allSettled([client?.end(), cache?.close()]);
    },
  };
}
