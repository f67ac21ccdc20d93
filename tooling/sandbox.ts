// A sandbox outside the checks: a Postgres role and database made for it alone, and a Redis ACL
// user confined to a logical database it claimed empty. The worked examples run in one (verify's
// examples stage), and so does the lessons' console (npm run docs). It is made like a run of the
// checks (run-database.ts, redis-space.ts), named with a random run id and kept alive by
// connections carrying that run's live name, so release.ts gives it back when it closes, or at
// the next start of anything that sweeps dead runs if its process was killed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import type { Cache } from '../lib/stores.ts';
import { releaseDeadRuns, releaseRun } from './release.ts';
import { RedisSpace } from './redis-space.ts';
import { EMPTY_DATABASE, ensureRunDatabase, setRolePassword } from './run-database.ts';
import { databaseName, liveName, OWNER_KEY, redisUserName } from './run-names.ts';

export interface SandboxOptions {
  /** Longest a statement of the sandbox's role may run (Postgres `statement_timeout`). */
  statementTimeoutMs?: number;
}

export interface Sandbox {
  readonly runId: string;
  /** The sandbox's role, in its own database. */
  readonly databaseUrl: string;
  /** The sandbox's Redis user, on its own logical database. */
  readonly redisUrl: string;
  readonly redisDb: number;
  readonly databaseName: string;
  /** The admin's client on the sandbox's database (not for code under test). */
  readonly adminDb: pg.Client;
  /** The admin's Redis client, selected on the sandbox's logical database (not for code under test). */
  readonly adminRedis: Cache;
  /** What is in the sandbox beyond an empty start: tables and other relations, keys. */
  leftovers(): Promise<string[]>;
  /** Back to empty: every relation dropped, the role's sessions ended, the Redis database wiped. */
  reset(): Promise<void>;
  /** Gives everything back. */
  close(): Promise<void>;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Opens a sandbox on these servers through their admin URLs; sweeps what dead runs left first. */
export async function openSandbox(
  services: { postgresUrl: string; redisUrl: string },
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const { postgresUrl, redisUrl } = services;
  const runId = randomBytes(5).toString('hex');
  await releaseDeadRuns(postgresUrl, redisUrl, runId).catch(() => []);
  const name = databaseName(runId, 1);
  const password = randomBytes(16).toString('hex');
  const live = liveName(runId);
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000, application_name: live });
  admin.on('error', () => {});
  const adminRedis: Cache = createClient({
    url: redisUrl,
    name: live,
    socket: { connectTimeout: 5000, reconnectStrategy: (n) => (n > 20 ? false : 200) },
  });
  adminRedis.on('error', () => {});
  let adminDb: pg.Client | undefined;
  const giveBack = async () => {
    await releaseRun({ postgresUrl, redisUrl, runId }, { postgres: admin }).catch(() => []);
    await adminDb?.end().catch(() => {});
    await admin.end().catch(() => {});
    if (adminRedis.isOpen) adminRedis.destroy();
  };
  try {
    await Promise.all([admin.connect(), adminRedis.connect()]);
    await ensureRunDatabase(admin, runId, 1);
    await setRolePassword(admin, runId, 1, password);
    await admin.query(`ALTER ROLE ${quote(name)} CONNECTION LIMIT 20`);
    if (options.statementTimeoutMs)
      await admin.query(`ALTER ROLE ${quote(name)} SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
    const inDb = new URL(postgresUrl);
    inDb.pathname = `/${name}`;
    adminDb = new pg.Client({ connectionString: inDb.toString(), application_name: live });
    adminDb.on('error', () => {});
    await adminDb.connect();
    const space = new RedisSpace(adminRedis, `${runId}:sandbox`, redisUserName(runId, 'sandbox'), password);
    if (!(await space.claim()))
      throw new SandboxError(
        'Every Redis logical database from 1 to 15 holds keys, so there is none to claim for the sandbox.',
      );
    await space.grant();
    const databaseUrl = new URL(postgresUrl);
    Object.assign(databaseUrl, { username: name, password, pathname: `/${name}`, search: '' });
    const cacheUrl = new URL(redisUrl);
    Object.assign(cacheUrl, { username: space.user, password, pathname: `/${space.db}` });
    const db = adminDb;
    return {
      runId,
      databaseUrl: databaseUrl.toString(),
      redisUrl: cacheUrl.toString(),
      redisDb: space.db,
      databaseName: name,
      adminDb: db,
      adminRedis,
      async leftovers() {
        const { rows } = await db.query<{ what: string }>(
          `SELECT format('%s %I.%I', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence'
             WHEN 'i' THEN 'index' WHEN 'm' THEN 'materialized view' ELSE 'relation' END, n.nspname, c.relname) AS what
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1`,
        );
        const keys: string[] = [];
        for await (const batch of adminRedis.scanIterator({ COUNT: 100 }))
          keys.push(...batch.filter((k) => k !== OWNER_KEY).map((k) => `key ${k}`));
        return [...rows.map((r) => r.what), ...keys.sort()];
      },
      async reset() {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await db.query(EMPTY_DATABASE);
        if (!(await space.wipe()))
          throw new SandboxError(
            `Redis database ${space.db} lost the sandbox's owner mark (${OWNER_KEY}): it is not wiped, as it may be another's now.`,
          );
        await space.grant();
      },
      close: giveBack,
    };
  } catch (error) {
    await giveBack();
    throw error;
  }
}
