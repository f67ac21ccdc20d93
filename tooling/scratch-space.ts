// A run's database (with the course's tables) and Redis space for trusted code that is not a
// check: the bench times the reference solution there, connected as an application would be.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import type { Cache } from '../lib/stores.ts';
import { RedisSpace } from './redis-space.ts';
import { releaseRun } from './release.ts';
import { ensureRunDatabase, schemaSql, setRolePassword } from './run-database.ts';
import { databaseName, liveName, redisUserName } from './run-names.ts';

export interface ScratchSpace {
  /** The learner role's URL, straight to the server, on the run's database. */
  databaseUrl: string;
  /** The learner user's URL, straight to the server, on the claimed database. */
  redisUrl: string;
  /** The admin's pool on the run's database, for seeding. */
  admin: pg.Pool;
  close(): Promise<void>;
}

export async function openScratchSpace(postgresUrl: string, redisUrl: string, runId: string): Promise<ScratchSpace> {
  const name = databaseName(runId, 1);
  const password = randomBytes(16).toString('hex');
  const client = new pg.Client({ connectionString: postgresUrl, application_name: liveName(runId) });
  await client.connect();
  const cache: Cache = createClient({ url: redisUrl, name: liveName(runId) });
  cache.on('error', () => {});
  let pool: pg.Pool | undefined;
  const close = async () => {
    await pool?.end();
    if (cache.isOpen) cache.destroy();
    await client.end().catch(() => {});
    await releaseRun({ postgresUrl, redisUrl, runId });
  };
  try {
    await ensureRunDatabase(client, runId, 1);
    await setRolePassword(client, runId, 1, password);
    const adminUrl = new URL(postgresUrl);
    adminUrl.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: adminUrl.toString(), application_name: liveName(runId) });
    await pool.query(schemaSql(name, { empty: false }));
    await cache.connect();
    const space = new RedisSpace(
      cache,
      `${runId}:${randomBytes(12).toString('hex')}`,
      redisUserName(runId, 'scratch'),
      password,
    );
    if (!(await space.claim())) throw new Error(`no empty Redis database (1–15) to claim on ${redisUrl}`);
    await space.grant();
    const pgUrl = new URL(postgresUrl);
    Object.assign(pgUrl, { username: name, password, pathname: `/${name}`, search: '' });
    const cacheUrl = new URL(redisUrl);
    Object.assign(cacheUrl, { username: space.user, password, pathname: `/${space.db}` });
    return { databaseUrl: pgUrl.toString(), redisUrl: cacheUrl.toString(), admin: pool, close };
  } catch (error) {
    await close();
    throw error;
  }
}
