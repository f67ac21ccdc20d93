// The checks leave nothing behind on the servers: a later file of the same worker starts from
// an emptied database, and a run stopped by Ctrl-C, a closing terminal or kill -9 has what it
// made released (by itself, or by the next run). These tests run the real `npm test` command.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Course } from '../../checks/harness/course.ts';
import { databaseName } from '../../tooling/run-names.ts';
import { courseDatabases, databaseOfRun, runOfProcess } from '../support/course-databases.ts';
import { runToEnd } from '../support/run-to-end.ts';
import { DATABASE_URL, npmTest, REDIS_URL, root } from '../support/npm-test.ts';

describe('the checks leave nothing behind', () => {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());

  it('gives a later file of the same worker an emptied database, ending what the earlier one left open', async () => {
    const runId = `t${randomBytes(3).toString('hex')}`;
    const services = { postgresUrl: DATABASE_URL, redisUrl: REDIS_URL, runId, source: 'environment' };
    const earlier = new Course('04', services);
    const later = new Course('05', services);
    try {
      await earlier.open();
      await earlier.db.query("INSERT INTO users (name, email) VALUES ('Left', 'left@example.com')");
      await earlier.db.query('CREATE SCHEMA stray; CREATE TABLE stray.notes (t text); CREATE TABLE scratch (n int)');
      // A session of the earlier file still holds a lock when the later one opens.
      const lingering = new pg.Client({ connectionString: earlier.databaseUrl });
      lingering.on('error', () => {});
      await lingering.connect();
      await lingering.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');

      await later.open();
      const { rows: users } = await later.db.query('SELECT count(*)::int AS n FROM users');
      const { rows: tables } = await later.db.query<{ name: string }>(
        "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      );
      expect(users[0].n).toBe(0);
      // The schema's own tables, and nothing the earlier file made.
      const schema = [...readFileSync(join(root, 'db', 'schema.sql'), 'utf8').matchAll(/^CREATE TABLE (\w+)/gm)];
      expect(schema.length).toBeGreaterThanOrEqual(3);
      expect(tables.map((t) => t.name)).toEqual(schema.map((m) => `public.${m[1]}`).sort());
      await lingering.end().catch(() => {});
    } finally {
      await later.close();
      await earlier.close();
    }
    expect(await courseDatabases(admin)).not.toContain(databaseName(runId, 1));
  });

  /** Starts `npm test 04` against code that never answers; resolves once the run has made its database. */
  async function startHangingRun() {
    // Code under check that never answers keeps the run busy for as long as the test needs.
    const target = mkdtempSync(join(tmpdir(), 'course-hang-'));
    mkdirSync(join(target, '04-cache-aside'));
    writeFileSync(
      join(target, '04-cache-aside', 'get-user.ts'),
      'export function getUser() { return new Promise(() => {}); }\n',
    );
    const child = spawn(process.execPath, ['scripts/test.mjs', '04'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL, COURSE_TARGET: target },
    });
    const ended = runToEnd(child).finally(() => rmSync(target, { recursive: true, force: true }));
    // This run's id, from its own live connection: other runs on the servers are not it.
    const runId = await runOfProcess(admin, child.pid!);
    expect(runId, 'the run never opened its live connection').toBeDefined();
    expect(await databaseOfRun(admin, runId!), 'the run never created its database').toBeDefined();
    // Let the check file get going: its Redis user exists once it has opened (waited for, not
    // guessed: under load, with other test files beside it, opening can take some seconds).
    for (const until = Date.now() + 20_000; Date.now() < until;) {
      if ((await heldBy(runId!)).redisUsers.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, ended, runId: runId! };
  }

  async function heldBy(runId: string) {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const roles = await admin.query<{ name: string }>(
        "SELECT rolname AS name FROM pg_roles WHERE rolname LIKE 'course\\_check\\_%'",
      );
      return {
        databases: (await courseDatabases(admin)).filter((name) => name.includes(`_${runId}_`)),
        roles: roles.rows.map((r) => r.name).filter((name) => name.includes(`_${runId}_`)),
        redisUsers: ((await redis.sendCommand(['ACL', 'USERS'])) as string[]).filter((u) =>
          u.startsWith(`course-check-${runId}-`),
        ),
      };
    } finally {
      redis.destroy();
    }
  }

  it.each([
    ['interrupted (Ctrl-C)', 'SIGINT', 130],
    ['ended by its closing terminal', 'SIGHUP', 129],
  ] as const)('releases its databases and Redis users when the run is %s', async (_, signal, code) => {
    const { child, ended, runId } = await startHangingRun();
    expect((await heldBy(runId)).redisUsers).toHaveLength(1);
    child.kill(signal);
    const run = await ended;
    expect(run.code).toBe(code);
    expect(await heldBy(runId)).toEqual({ databases: [], roles: [], redisUsers: [] });
  });

  it('has the next run release what a killed run left behind', async () => {
    const { child, ended, runId } = await startHangingRun();
    child.kill('SIGKILL');
    await ended;
    const left = await heldBy(runId);
    expect(left.databases).toHaveLength(1);
    expect(left.roles).toHaveLength(1);
    expect(left.redisUsers).toHaveLength(1);
    const next = await npmTest(['--solutions', '11'], { DATABASE_URL, REDIS_URL });
    expect(next.code).toBe(0);
    expect(await heldBy(runId)).toEqual({ databases: [], roles: [], redisUsers: [] });
  });
});
