// The sandbox holds: learner code written to do harm, run with `npm test 04` from the learner's
// seat against the machine's servers, reaches nothing outside its run. Markers planted outside
// the run survive, the server's own admin stays a superuser, and the run leaves nothing behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_OBJECT } from '../../tooling/run-names.ts';
import { NOTHING, runHoldings } from '../support/leftovers.ts';
import { runToEnd } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/sandbox', import.meta.url));
const observedFile = `${fixture}/04-cache-aside/observed.json`;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Observed {
  attempts: { name: string; ok: boolean; detail: string }[];
  env: Record<string, string>;
}

describe('learner code that tries to do harm', () => {
  const mark = `course_marker_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  const redis = createClient({ url: REDIS_URL });
  let run: { code: number | null; stdout: string; stderr: string };
  let observed: Observed;
  /** The logical databases holding a marker: 0, and one nobody held when it was planted. */
  const marked = [0, 0];

  beforeAll(async () => {
    await Promise.all([admin.connect(), redis.connect()]);
    // Markers outside the run: a database with a row, a role, a key in db 0 and in another.
    await admin.query(`CREATE DATABASE ${mark}`);
    const inMarker = new pg.Client({
      connectionString: Object.assign(new URL(DATABASE_URL), { pathname: `/${mark}` }).toString(),
    });
    await inMarker.connect();
    await inMarker.query("CREATE TABLE notes (text text); INSERT INTO notes VALUES ('still here')");
    await inMarker.end();
    await admin.query(`CREATE ROLE ${mark} LOGIN`);
    // The second marker goes into a logical database nobody holds (other runs may hold some):
    // one empty now, marked in one script so that no run claims it between the look and the write.
    marked[1] = Number(
      await redis.eval(
        `for db = 15, 1, -1 do
           redis.call('SELECT', db)
           if redis.call('DBSIZE') == 0 then
             redis.call('SET', KEYS[1], 'planted in db ' .. db) redis.call('SET', 'marker', 'planted') return db
           end
         end
         return 0`,
        { keys: [mark] },
      ),
    );
    expect(marked[1], 'an empty logical database to plant a marker in').toBeGreaterThan(0);
    await redis.set(mark, 'planted in db 0');
    await redis.set('marker', 'planted');
    rmSync(observedFile, { force: true });
    const child = spawn(process.execPath, ['scripts/test.mjs', '04'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL, COURSE_TARGET: fixture },
    });
    run = await runToEnd(child);
    expect(existsSync(observedFile), `the fixture did not run:\n${run.stdout}\n${run.stderr}`).toBe(true);
    observed = JSON.parse(readFileSync(observedFile, 'utf8')) as Observed;
  }, 60_000);

  afterAll(async () => {
    rmSync(observedFile, { force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${mark} WITH (FORCE)`).catch(() => {});
    await admin.query(`DROP ROLE IF EXISTS ${mark}`).catch(() => {});
    for (const db of marked) {
      await redis.select(db);
      await redis.del(mark);
      await redis.del('marker');
    }
    redis.destroy();
    await admin.end();
  });

  it('fails every attempt to reach outside its run', () => {
    const through = observed.attempts.filter((a) => a.ok && !a.name.startsWith('postgres: a client with no settings'));
    expect(through).toEqual([]);
    expect(observed.attempts.length).toBeGreaterThan(20);
  });

  it('lands a client made from the PG* defaults in its own database, as its own role', () => {
    const own = observed.attempts.find((a) => a.name.startsWith('postgres: a client with no settings'))!;
    expect(own.ok).toBe(true);
    expect(own.detail).toMatch(/"who":"course_check_[0-9a-z]+_w\d+","db":"course_check_[0-9a-z]+_w\d+"/);
  });

  it('finds only its own sandbox in the environment', () => {
    const pgUrl = new URL(observed.env.DATABASE_URL!);
    const redisUrl = new URL(observed.env.REDIS_URL!);
    expect(pgUrl.username).toMatch(/^course_check_[0-9a-z]+_w\d+$/);
    expect(pgUrl.pathname).toBe(`/${pgUrl.username}`);
    expect(redisUrl.username).toMatch(/^course-check-/);
    expect(Number(redisUrl.pathname.slice(1))).toBeGreaterThan(0);
    expect(Object.keys(observed.env).sort()).toEqual([
      'DATABASE_URL',
      'PGDATABASE',
      'PGHOST',
      'PGPASSWORD',
      'PGPORT',
      'PGUSER',
      'REDIS_URL',
    ]);
    expect(observed.env.PGUSER).toBe(pgUrl.username);
  });

  it('says why each refused attempt was refused', () => {
    const byName = Object.fromEntries(observed.attempts.map((a) => [a.name, a.detail]));
    expect(byName['redis: SELECT 0 then FLUSHDB']).toMatch(/NOPERM/);
    expect(byName['redis: AUTH as the default user']).toMatch(/SANDBOX-REFUSED/);
    expect(byName['postgres: DATABASE_URL pointed at the postgres database']).toMatch(
      /sandbox lets this connection reach only/,
    );
    expect(byName['postgres: ALTER ROLE postgres NOSUPERUSER']).toMatch(/superuser/);
  });

  it('leaves every marker where it was, and the admin a superuser', async () => {
    const inMarker = new pg.Client({
      connectionString: Object.assign(new URL(DATABASE_URL), { pathname: `/${mark}` }).toString(),
    });
    await inMarker.connect();
    const { rows } = await inMarker.query<{ text: string }>('SELECT text FROM notes');
    await inMarker.end();
    expect(rows).toEqual([{ text: 'still here' }]);
    const role = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = '${mark}'`);
    expect(role.rowCount).toBe(1);
    const postgres = await admin.query<{ rolsuper: boolean }>(
      "SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'",
    );
    expect(postgres.rows[0]?.rolsuper).toBe(true);
    for (const db of marked) {
      await redis.select(db);
      expect(await redis.get(mark)).toBe(`planted in db ${db}`);
      expect(await redis.get('marker')).toBe('planted');
    }
    expect(((await redis.sendCommand(['ACL', 'GETUSER', 'default'])) as unknown[]).flat()).toContain('on');
  });

  it('fails the run (exit 1) and leaves nothing of it behind', async () => {
    expect(run.code).toBe(1);
    // This run's, by the id in the database it gave the learner's code: other runs of the
    // servers (a test file beside this one that leaves a killed run's for the next) are not it.
    const database = new URL(observed.env.DATABASE_URL ?? 'postgres://x/').pathname.slice(1);
    const runId = RUN_OBJECT.exec(database)?.[1];
    expect(runId, `the learner's DATABASE_URL names no run database: ${database}`).toBeDefined();
    expect(await runHoldings(DATABASE_URL, REDIS_URL, { run: runId })).toEqual(NOTHING);
  });
});
