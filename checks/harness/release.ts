// Gives back what one run of the checks holds on the servers: its Postgres databases (named with
// the run's random id), and the Redis users and logical databases that still carry its owner
// mark. Never anything else. The run's teardown calls it; an interrupted run (Ctrl-C) runs this
// file as a script, synchronously, before its process ends:
//   node --import tsx checks/harness/release.ts '{"postgresUrl":…,"redisUrl":…,"runId":…,"containerIds":[…]}'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { notePrefix, OPEN_DIR, OWNER_KEY, runDatabasesPattern, type OpenNote } from './names';
import { removeContainers } from './services';

export interface RunHoldings {
  postgresUrl: string;
  redisUrl: string;
  runId: string;
  /** Containers the run started (not kept ones): stopped too. */
  containerIds?: string[];
}

/** The notes of this run's check files still open (their process frozen, crashed or interrupted). */
function notesOf(runId: string): string[] {
  return existsSync(OPEN_DIR) ? readdirSync(OPEN_DIR).filter((note) => note.startsWith(notePrefix(runId))) : [];
}

function forgetNotes(runId: string): void {
  for (const note of notesOf(runId)) rmSync(join(OPEN_DIR, note), { force: true });
}

/** Drops the run's databases. */
export async function dropRunDatabases(postgresUrl: string, runId: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [runDatabasesPattern(runId)]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
  } finally {
    await admin.end().catch(() => {});
  }
}

/** Deletes the run's leftover Redis users and empties the logical databases still marked as the run's. */
export async function releaseRunRedis(redisUrl: string, runId: string): Promise<void> {
  const { createClient } = await import('redis');
  const cache = createClient({ url: redisUrl, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  cache.on('error', () => {});
  await cache.connect();
  try {
    const users = (await cache.sendCommand(['ACL', 'USERS'])) as string[];
    for (const user of users.filter((u) => u.startsWith(`course-check-${runId}-`))) await cache.sendCommand(['ACL', 'DELUSER', user]);
    for (let db = 1; db < 16; db += 1) {
      await cache.select(db);
      await cache.eval(`local o = redis.call('GET', KEYS[1]) if o and string.sub(o, 1, string.len(ARGV[1])) == ARGV[1] then redis.call('FLUSHDB') end return 0`,
        { keys: [OWNER_KEY], arguments: [`${runId}:`] });
    }
  } finally {
    cache.destroy();
  }
  forgetNotes(runId);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Earlier runs that ended without their teardown (killed, or their terminal closed): a note of
 * theirs remains and their process is gone. A note that cannot be read is removed.
 */
export function deadRuns(): RunHoldings[] {
  if (!existsSync(OPEN_DIR)) return [];
  const runs = new Map<string, RunHoldings>();
  for (const name of readdirSync(OPEN_DIR)) {
    let note: OpenNote;
    try {
      note = JSON.parse(readFileSync(join(OPEN_DIR, name), 'utf8')) as OpenNote;
      if (typeof note.runPid !== 'number' || !/^[0-9a-z]+$/.test(note.runId)) throw new Error('not a note');
    } catch {
      rmSync(join(OPEN_DIR, name), { force: true });
      continue;
    }
    if (!alive(note.runPid)) runs.set(note.runId, { runId: note.runId, postgresUrl: note.postgresUrl, redisUrl: note.redisUrl });
  }
  return [...runs.values()];
}

/** Releases what dead runs left, then forgets their notes even where a server no longer answers. */
export async function releaseDeadRuns(): Promise<void> {
  for (const run of deadRuns()) {
    await releaseRun(run);
    forgetNotes(run.runId);
  }
}

/** Everything at once, each part attempted even when another fails; returns what went wrong. */
export async function releaseRun(holdings: RunHoldings): Promise<string[]> {
  const outcomes = await Promise.allSettled([
    dropRunDatabases(holdings.postgresUrl, holdings.runId),
    notesOf(holdings.runId).length > 0 ? releaseRunRedis(holdings.redisUrl, holdings.runId) : Promise.resolve(),
  ]);
  const problems = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
  if (holdings.containerIds?.length) await removeContainers(holdings.containerIds).catch((e: Error) => problems.push(e.message));
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await releaseRun(JSON.parse(process.argv[2] ?? '{}') as RunHoldings);
  for (const problem of problems) console.error(`checks: could not release what the interrupted run held: ${problem}`);
}
