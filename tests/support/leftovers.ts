// What runs of the checks hold on a pair of servers, as a test's own connections see it.
// `dead` keeps only what belongs to runs with no live connection left: another run going on
// at the same time on the same servers (verify, a learner's terminal) is not a leftover.
import pg from 'pg';
import { createClient } from 'redis';
import { LIVE_NAME, OWNER_KEY, REDIS_USER, RUN_OBJECT } from '../../tooling/run-names.ts';

export interface Holdings {
  databases: string[];
  roles: string[];
  redisUsers: string[];
  /** Logical databases carrying a run's owner mark. */
  claimed: number[];
}

/** `run` keeps only what that run (by its id) holds. */
export async function runHoldings(
  postgresUrl: string,
  redisUrl: string,
  { dead = false, run }: { dead?: boolean; run?: string } = {},
): Promise<Holdings> {
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
  redis.on('error', () => {});
  await Promise.all([admin.connect(), redis.connect()]);
  try {
    const livePg = (
      await admin.query<{ name: string }>(
        "SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'course-run-%'",
      )
    ).rows;
    const liveRedis = [...String(await redis.sendCommand(['CLIENT', 'LIST'])).matchAll(/\bname=(\S+)/g)].map(
      (m) => m[1]!,
    );
    const alive = new Set(
      [...livePg.map((r) => r.name), ...liveRedis].map((n) => LIVE_NAME.exec(n)?.[1]).filter(Boolean),
    );
    const keep = (id: string | undefined) =>
      id !== undefined && (!dead || !alive.has(id)) && (run === undefined || id === run);
    const names = async (sql: string) =>
      (await admin.query<{ name: string }>(sql)).rows.map((r) => r.name).filter((n) => keep(RUN_OBJECT.exec(n)?.[1]));
    const claimed: number[] = [];
    for (let db = 1; db < 16; db += 1) {
      await redis.select(db);
      const owner = await redis.get(OWNER_KEY);
      if (owner && keep(owner.split(':')[0])) claimed.push(db);
    }
    return {
      databases: await names("SELECT datname AS name FROM pg_database WHERE datname LIKE 'course\\_check\\_%'"),
      roles: await names("SELECT rolname AS name FROM pg_roles WHERE rolname LIKE 'course\\_check\\_%'"),
      redisUsers: ((await redis.sendCommand(['ACL', 'USERS'])) as string[]).filter((u) =>
        keep(REDIS_USER.exec(u)?.[1]),
      ),
      claimed,
    };
  } finally {
    redis.destroy();
    await admin.end();
  }
}

export const NOTHING: Holdings = { databases: [], roles: [], redisUsers: [], claimed: [] };
