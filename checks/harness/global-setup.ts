// Vitest global setup: finds or starts Postgres and Redis once per run and hands their URLs
// to every check file (inject('services')); when the run ends, releases anything a check file
// could not clean up itself (its process frozen or crashed), then stops what it started.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { OPEN_DIR, OWNER_KEY } from './names';
import { provideServices } from './services';

export default async function setup(project: TestProject) {
  const services = await provideServices();
  const runId = randomBytes(3).toString('hex');
  project.provide('services', { postgresUrl: services.postgresUrl, redisUrl: services.redisUrl, runId, source: services.source });
  return async () => {
    if (leftBehind(runId)) await sweep(services.postgresUrl, services.redisUrl, runId).catch((e: Error) => console.error(`checks: could not release what this run left behind: ${e.message}`));
    await services.stop();
  };
}

/** Whether a check file of this run ended without cleaning up (its process frozen or crashed). */
function leftBehind(runId: string): boolean {
  return existsSync(OPEN_DIR) && readdirSync(OPEN_DIR).some((note) => note.startsWith(`course_check_${runId}_`));
}

/** Drops this run's leftover databases, Redis users and Redis databases; never anything else. */
async function sweep(postgresUrl: string, redisUrl: string, runId: string): Promise<void> {
  const { default: pg } = await import('pg');
  const { createClient } = await import('redis');
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`, [`course\\_check\\_${runId}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
  } finally {
    await admin.end().catch(() => {});
  }
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
  for (const note of readdirSync(OPEN_DIR).filter((n) => n.startsWith(`course_check_${runId}_`))) rmSync(join(OPEN_DIR, note), { force: true });
}
