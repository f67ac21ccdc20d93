// The checks are guests on a learner's servers: pointed at data that is not theirs, they refuse
// with a clear message and delete nothing; pointed at nothing usable, they say how to fix it.
// These tests run the real `npm test` command (minus npm) against real servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../checks/harness/proxy.ts';
import { runToEnd } from '../support/run-to-end.ts';
import { DATABASE_URL, npmTest, REDIS_URL, root } from '../support/npm-test.ts';

describe('the checks refuse what is not theirs', () => {
  const suffix = randomBytes(3).toString('hex');
  const noCreateDb = `course_nocreatedb_${suffix}`;
  const noCreateRole = `course_nocreaterole_${suffix}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(
      `CREATE ROLE ${noCreateDb} LOGIN NOCREATEDB; CREATE ROLE ${noCreateRole} LOGIN CREATEDB NOCREATEROLE`,
    );
  });

  afterAll(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${noCreateDb}; DROP ROLE IF EXISTS ${noCreateRole}`);
    await admin.end();
  });

  /** Databases and roles this role owns or made: what a refusal must not have left. */
  async function madeBy(role: string) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM pg_database WHERE pg_get_userbyid(datdba) = $1)::int
            + (SELECT count(*) FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = $1))::int AS n`,
      [role],
    );
    return rows[0]!.n;
  }

  it.each([
    [noCreateDb, 'create a database of its own', /ALTER ROLE "course_nocreatedb_\w+" CREATEDB/],
    [noCreateRole, "create the role the learner's code logs in as", /ALTER ROLE "course_nocreaterole_\w+" CREATEROLE/],
  ])('refuses, naming the fix, when the Postgres role %s may not %s', async (role, _, fix) => {
    const url = new URL(DATABASE_URL);
    url.username = role;
    url.password = '';
    const run = await npmTest(['--solutions', '02'], { DATABASE_URL: url.toString(), REDIS_URL });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/never touch the database in DATABASE_URL/);
    expect(run.stdout).toMatch(fix);
    expect(await madeBy(role)).toBe(0);
  });

  // A private Redis, so that filling its databases cannot disturb anything else running.
  const redisServer = spawnSync('redis-server', ['--version']).status === 0;
  describe.skipIf(!redisServer)("on a Redis holding someone else's keys", () => {
    let server: ChildProcess;
    let url = '';

    beforeAll(async () => {
      const port = await closedPort();
      url = `redis://127.0.0.1:${port}`;
      server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const until = Date.now() + 5000;
      for (;;) {
        const probe = createClient({ url, socket: { reconnectStrategy: false } });
        probe.on('error', () => {});
        try {
          await probe.connect();
          probe.destroy();
          break;
        } catch {
          if (Date.now() > until) throw new Error('the private redis-server did not start');
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    });

    afterAll(() => {
      server.kill();
    });

    async function keysPerDatabase(): Promise<Record<number, string[]>> {
      const client = createClient({ url });
      await client.connect();
      const found: Record<number, string[]> = {};
      for (let db = 0; db < 16; db += 1) {
        await client.select(db);
        found[db] = (await client.keys('*')).sort();
      }
      client.destroy();
      return found;
    }

    async function fill(databases: number[]): Promise<void> {
      const client = createClient({ url });
      await client.connect();
      for (const db of databases) {
        await client.select(db);
        await client.set('someone:else', `their data in db ${db}`);
        await client.set('user:1', '{"id":1,"name":"not yours"}');
      }
      client.destroy();
    }

    it('works only in an empty database it claims, leaving every other key where it was', async () => {
      await fill([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      const before = await keysPerDatabase();
      const run = await npmTest(['--solutions', '04', '05'], { DATABASE_URL, REDIS_URL: url });
      // Every check of both files ran and passed (however many checks they hold).
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/\b[1-9]\d* passed, 0 failed/);
      expect(await keysPerDatabase()).toEqual(before);
    });

    it('refuses, deleting nothing, when every database from 1 to 15 holds keys', async () => {
      await fill([14, 15]);
      const before = await keysPerDatabase();
      const run = await npmTest(['--solutions', '04'], { DATABASE_URL, REDIS_URL: url });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Every database from 1 to 15 .* holds keys/);
      expect(await keysPerDatabase()).toEqual(before);
    });
  });

  it('says which variable is missing when only one URL is set', async () => {
    const run = await npmTest(['04'], { DATABASE_URL, REDIS_URL: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL is set but REDIS_URL is not/);
  });

  it('names the server that does not answer when the checks run in-process (runner, verify)', async () => {
    const port = await closedPort();
    const script = `import { runChecks } from './tooling/check-run.ts';
      import { findExercise } from './manifest.ts';
      await runChecks({ exercises: [findExercise('04')], target: 'solutions' });`;
    // Twice: the second run meets the harness's modules in Vitest's module cache.
    for (let i = 0; i < 2; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL: `redis://127.0.0.1:${port}` },
      });
      const run = await runToEnd(child);
      expect(run.stderr + run.stdout).toMatch(new RegExp(`Redis at redis://127.0.0.1:${port}/? did not answer`));
    }
  });

  it.each(['Postgres', 'Redis'] as const)(
    'names a %s that accepts connections and never answers, within 5 s',
    async (which) => {
      // A server that takes the connection and says nothing: another program on the port, or one stopped mid-start.
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const url =
        which === 'Postgres'
          ? `postgres://someone:secret@127.0.0.1:${port}/course`
          : `redis://:secret@127.0.0.1:${port}`;
      const run = await npmTest(
        ['04'],
        which === 'Postgres' ? { DATABASE_URL: url, REDIS_URL } : { DATABASE_URL, REDIS_URL: url },
      );
      silent.close();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `${which} at \\S+127\\.0\\.0\\.1:${port}\\S* did not answer: it accepted the connection but did not answer within 3 s`,
        ),
      );
      expect(run.stderr).toContain('***');
      expect(run.stderr).not.toContain('secret');
    },
  );

  it('names the server that does not answer', async () => {
    const port = await closedPort();
    const run = await npmTest(['04'], { DATABASE_URL, REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`Redis at redis://127.0.0.1:${port}/? did not answer`));
  });
});
