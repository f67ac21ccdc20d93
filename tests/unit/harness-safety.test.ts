// The checks are guests on a learner's servers: pointed at data that is not theirs, they refuse
// with a clear message and delete nothing; pointed at nothing usable, they say how to fix it.
// These tests run the real `npm test` command (minus npm) against real servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function npmTest(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return runToEnd(child);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the checks refuse what is not theirs', () => {
  const role = `course_nocreatedb_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
  });

  afterAll(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('refuses, naming the fix, when the Postgres role may not create a database of its own', async () => {
    const url = new URL(DATABASE_URL);
    url.username = role;
    url.password = '';
    const before = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database');
    const run = await npmTest(['--solutions', '02'], { DATABASE_URL: url.toString(), REDIS_URL });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/never touch the one in DATABASE_URL/);
    expect(run.stdout).toMatch(/CREATEDB/);
    const after = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  // A private Redis, so that filling its databases cannot disturb anything else running.
  const redisServer = spawnSync('redis-server', ['--version']).status === 0;
  describe.skipIf(!redisServer)('on a Redis holding someone else\'s keys', () => {
    let server: ChildProcess;
    let url = '';

    beforeAll(async () => {
      const port = await freePort();
      url = `redis://127.0.0.1:${port}`;
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
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
      expect(run.stdout).toMatch(/14 passed, 0 failed/);
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

  it('names the server that does not answer', async () => {
    const port = await freePort();
    const run = await npmTest(['04'], { DATABASE_URL, REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`Redis at redis://127.0.0.1:${port}/? did not answer`));
  });
});
