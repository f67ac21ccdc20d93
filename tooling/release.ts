// Gives back what runs of the checks hold on the servers: their Postgres databases and roles
// (named with the run's random id), and the Redis users and logical databases that carry a
// run's owner mark. Never anything else.
//
// Whether a run is still alive is asked of the servers themselves, not of files on disk: every
// connection a run makes carries its live name (Postgres application_name, Redis CLIENT
// SETNAME). A run killed at any moment (kill -9, a closed terminal), or cut off by a server
// restart, loses those connections, so the next run to start finds what it held and releases it.
//
// The run's teardown calls releaseRun; an interrupted run (Ctrl-C) runs this file as a script,
// synchronously, before its process ends:
//   node --import tsx tooling/release.ts '{"postgresUrl":…,"redisUrl":…,"runId":…,"containerIds":[…]}'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import type { RespClient } from './resp.ts';
import { frozenDir, LIVE_NAME, OWNER_KEY, REDIS_USER, RUN_OBJECT, runComment } from './run-names.ts';
import { projectRoot, removeContainers } from './services.ts';

export interface RunHoldings {
  postgresUrl: string;
  redisUrl: string;
  runId: string;
  /** Containers the run started (not kept ones): stopped too. */
  containerIds?: string[];
}

/** Which runs a release covers: one run by id, or every run that no longer has a live connection. */
type Scope = { run: string } | { deadExcept: string };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops the databases, then the roles, of the runs in scope; returns what it dropped. */
export async function releasePostgres(postgresUrl: string, scope: Scope, open?: pg.Client): Promise<string[]> {
  const admin = open ?? (await connectAdmin(postgresUrl));
  const dropped: string[] = [];
  try {
    const { rows: live } = await admin.query<{ name: string }>(
      "SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'course-run-%'",
    );
    const alive = new Set(live.map((r) => LIVE_NAME.exec(r.name)?.[1]).filter(Boolean));
    const inScope = (name: string) => {
      const run = RUN_OBJECT.exec(name)?.[1];
      if (!run) return false;
      return 'run' in scope ? run === scope.run : run !== scope.deadExcept && !alive.has(run);
    };
    // The name and a proof must both say it is a run's: a look-alike name alone is not enough. A
    // database's proof is its owner, the role of the same name; a role's is its comment.
    const { rows: databases } = await admin.query<{ name: string; owner: string; note: string | null }>(
      `SELECT datname AS name, pg_get_userbyid(datdba) AS owner, shobj_description(datdba, 'pg_authid') AS note
       FROM pg_database WHERE datname LIKE 'course\\_check\\_%'`,
    );
    for (const { name, owner, note } of databases) {
      const run = RUN_OBJECT.exec(name)?.[1];
      if (!run || !inScope(name) || owner !== name || note !== runComment(run)) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      dropped.push(name);
    }
    const { rows: roles } = await admin.query<{ name: string; note: string | null }>(
      "SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname LIKE 'course\\_check\\_%'",
    );
    for (const { name, note } of roles) {
      const run = RUN_OBJECT.exec(name)?.[1];
      if (!run || !inScope(name) || note !== runComment(run)) continue;
      // Its sessions first (the learner's code may have left some open), then the role itself.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [name]);
      await admin.query(`DROP ROLE IF EXISTS ${quote(name)}`);
      dropped.push(name);
    }
  } finally {
    if (!open) await admin.end().catch(() => {});
  }
  return dropped;
}

async function connectAdmin(postgresUrl: string): Promise<pg.Client> {
  const { default: pgModule } = await import('pg');
  const admin = new pgModule.Client({
    connectionString: postgresUrl,
    connectionTimeoutMillis: 3000,
    query_timeout: 10_000,
  });
  admin.on('error', () => {});
  await admin.connect();
  return admin;
}

const OWNERS = `local owners = {}
for db = 1, 15 do redis.call('SELECT', db) owners[db] = redis.call('GET', KEYS[1]) or '' end
return owners`;
const RELEASE_IF_OWNER = `redis.call('SELECT', tonumber(ARGV[1]))
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('FLUSHDB') end
return 0`;

/** Deletes the learner users and empties the logical databases of the runs in scope. */
export async function releaseRedis(redisUrl: string, scope: Scope, open?: RespClient): Promise<string[]> {
  const { connectResp } = await import('./resp.ts');
  const cache = open ?? (await connectResp(redisUrl));
  const released: string[] = [];
  try {
    const clients = String(await cache.send(['CLIENT', 'LIST']));
    const alive = new Set(
      [...clients.matchAll(/\bname=(\S+)/g)].map((m) => LIVE_NAME.exec(m[1]!)?.[1]).filter(Boolean),
    );
    const inScope = (run: string | undefined) =>
      run !== undefined && ('run' in scope ? run === scope.run : run !== scope.deadExcept && !alive.has(run));
    const users = (await cache.send(['ACL', 'USERS'])) as string[];
    for (const user of users.filter((u) => inScope(REDIS_USER.exec(u)?.[1]))) {
      await cache.send(['ACL', 'DELUSER', user]);
      released.push(user);
    }
    // Read and emptied from inside scripts, so no other client's MONITOR sees this sweep in its database.
    const owners = (await cache.eval(OWNERS, { keys: [OWNER_KEY] })) as string[];
    for (const [i, owner] of owners.entries()) {
      const run = owner.split(':')[0];
      if (!owner || !inScope(run)) continue;
      // Emptied only while the mark is still the one read: another run may have just claimed it.
      await cache.eval(RELEASE_IF_OWNER, { keys: [OWNER_KEY], arguments: [String(i + 1), owner] });
      released.push(`db ${i + 1}`);
    }
  } finally {
    if (!open) cache.destroy();
  }
  return released;
}

/**
 * Everything one run holds, each part attempted even when another fails; returns what went wrong.
 * `open` are connections the run holds already (its live ones), used instead of new ones.
 */
export async function releaseRun(
  holdings: RunHoldings,
  open: { postgres?: pg.Client; redis?: RespClient } = {},
): Promise<string[]> {
  const scope = { run: holdings.runId };
  const outcomes = await Promise.allSettled([
    releasePostgres(holdings.postgresUrl, scope, open.postgres),
    releaseRedis(holdings.redisUrl, scope, open.redis),
  ]);
  rmSync(frozenDir(holdings.runId), { recursive: true, force: true });
  const problems = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
  if (holdings.containerIds?.length)
    await removeContainers(holdings.containerIds).catch((e: Error) => problems.push(e.message));
  return problems;
}

/**
 * What earlier runs left on these servers with no live connection of theirs any more (killed,
 * their terminal closed, or cut off by a server restart). `self` is the run asking: never its own.
 */
export async function releaseDeadRuns(postgresUrl: string, redisUrl: string, self: string): Promise<string[]> {
  const scope = { deadExcept: self };
  const outcomes = await Promise.allSettled([releasePostgres(postgresUrl, scope), releaseRedis(redisUrl, scope)]);
  return outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
}

/**
 * Frozen-check notes that a killed run never removed. Each run reads only its own, so they can
 * never change a later verdict; those older than an hour (or empty) are removed, and so are the
 * open-file notes of earlier versions of the checks.
 */
export function forgetOldNotes(): void {
  const all = join(projectRoot, '.course', 'frozen');
  const old = Date.now() - 3_600_000;
  if (existsSync(all)) {
    for (const name of readdirSync(all)) {
      const path = join(all, name);
      if (statSync(path).mtimeMs < old || readdirSync(path).length === 0)
        rmSync(path, { recursive: true, force: true });
    }
  }
  rmSync(join(projectRoot, '.course', 'open'), { recursive: true, force: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await releaseRun(JSON.parse(process.argv[2] ?? '{}') as RunHoldings);
  for (const problem of problems) console.error(`checks: could not release what the interrupted run held: ${problem}`);
}
