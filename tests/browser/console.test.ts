// The lessons' console, driven in Chromium against `npm run docs` on this machine's servers: the
// server's own answers, refusals for what would reach beyond the console's sandbox, time-outs
// for what would never end, Reset, the worked examples' Run button, the Origin and Host checks;
// marker keys and a database planted outside the sandbox are untouched; and once the docs server
// stops, nothing of the console's is left on either server.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../checks/harness/proxy.ts';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';
import { openSite, shot, type Site } from './support.ts';

const marker = `course_test_marker_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
const redis = createClient({ url: REDIS_URL });
let site: Site;
let docs: ChildProcess;
let url = '';
let runs: string[] = [];

beforeAll(async () => {
  await Promise.all([admin.connect(), redis.connect()]);
  await admin.query(`CREATE DATABASE ${marker}`);
  await redis.set(marker, 'planted outside the console');
  site = await openSite();
  url = `http://127.0.0.1:${await closedPort()}`;
  docs = spawn(
    process.execPath,
    ['node_modules/vitepress/bin/vitepress.js', 'dev', 'docs', '--port', new URL(url).port, '--strictPort'],
    { cwd: root, env: { ...process.env, DATABASE_URL, REDIS_URL }, stdio: 'ignore' },
  );
  // A fresh clone's first `npm run docs` optimizes its dependencies before it serves anything,
  // which takes a while on a busy machine.
  let status: { status: string; reason?: string; runs?: string[] } | undefined;
  for (const until = Date.now() + 150_000; ; await new Promise((r) => setTimeout(r, 250))) {
    if (Date.now() > until)
      throw new Error(`npm run docs did not start its console: last status ${JSON.stringify(status ?? 'no answer')}`);
    status = await fetch(`${url}/__course/console/status`).then(
      (r) => r.json() as Promise<{ status: string; reason?: string; runs?: string[] }>,
      () => undefined,
    );
    if (status?.status === 'on') {
      runs = status.runs ?? [];
      break;
    }
  }
}, 180_000);

afterAll(async () => {
  if (docs?.exitCode === null) docs.kill();
  await site?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${marker}`).catch(() => {});
  await redis.del(marker).catch(() => 0);
  await Promise.allSettled([admin.end(), redis.close()]);
});

/** Types a line into a console and waits for its answer; returns the text of that answer. */
async function ask(page: Page, kind: 'redis' | 'sql', line: string): Promise<string> {
  const box = page.locator(`[data-console="${kind}"]`);
  const entries = box.locator('.try-console__entry');
  const before = await entries.count();
  await box.locator('input').fill(line);
  await box.locator('input').press('Enter');
  await expect.poll(() => entries.count(), { timeout: 10_000 }).toBeGreaterThan(before);
  return entries.last().innerText();
}

describe('the console on the lesson pages', () => {
  it('answers Redis commands as redis-cli writes them, and refuses what reaches outside', async () => {
    const page = await site.page();
    await page.goto(`${url}/lessons/04-cache-aside`);
    await page.locator('[data-console="redis"][data-state="on"] input:not([disabled])').waitFor({ timeout: 20_000 });
    expect(await ask(page, 'redis', 'SET greeting hello EX 60')).toMatch(/\nOK$/);
    const ttl = Number(/\(integer\) (-?\d+)/.exec(await ask(page, 'redis', 'TTL greeting'))?.[1]);
    expect(ttl).toBeGreaterThanOrEqual(1);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await ask(page, 'redis', 'GET greeting')).toMatch(/"hello"$/);
    expect(await ask(page, 'redis', 'GET nothing-here')).toMatch(/\(nil\)$/);
    expect(await ask(page, 'redis', 'RPUSH letters a b')).toMatch(/\(integer\) 2$/);
    expect(await ask(page, 'redis', 'LRANGE letters 0 -1')).toMatch(/1\) "a"\n2\) "b"$/);
    for (const refused of ['FLUSHALL', 'CONFIG SET maxmemory 1', 'SELECT 0', 'AUTH default anything']) {
      expect(await ask(page, 'redis', refused), refused).toMatch(/\(error\) (NOPERM|AUTH is not for the console)/);
    }
    // Something that would wait for ever ends within its time, and the console goes on.
    const started = Date.now();
    expect(await ask(page, 'redis', 'BLPOP nothing-ever 0')).toMatch(/no answer within 3 s/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await ask(page, 'redis', 'PING')).toMatch(/PONG$/);
    // History: ↑ brings the last line back.
    await page.locator('[data-console="redis"] input').press('ArrowUp');
    await expect(page.locator('[data-console="redis"] input').inputValue()).resolves.toBe('PING');
    await page.locator('[data-console="redis"]').screenshot({ path: shot('console-redis') });
    // Reset empties the console's keyspace.
    await page.locator('[data-console="redis"] .try-console__reset').click();
    await expect.poll(() => page.locator('[data-console="redis"] .try-console__entry').count()).toBe(1);
    expect(await ask(page, 'redis', 'EXISTS greeting letters')).toMatch(/\(integer\) 0$/);
  }, 60_000);

  it('answers SQL with a table, bounded, and refuses or times out what reaches outside', async () => {
    const page = await site.page();
    await page.goto(`${url}/lessons/03-source-of-truth`);
    await page.locator('[data-console="sql"][data-state="on"] input:not([disabled])').waitFor({ timeout: 20_000 });
    expect(await ask(page, 'sql', 'SELECT 1 + 1 AS two')).toMatch(/two\s+2\s+\(1 row\)/);
    expect(await ask(page, 'sql', 'SELECT generate_series(1, 500) AS n')).toMatch(
      /\(500 rows\) · 100 shown, … 400 more/,
    );
    for (const [refused, why] of [
      ['DROP DATABASE postgres', /must be owner/],
      [`DROP DATABASE ${marker}`, /must be owner/],
      ['CREATE ROLE intruder', /permission denied to create role/],
      ["COPY (SELECT 1) TO PROGRAM 'id'", /pg_execute_server_program/],
    ] as const) {
      expect(await ask(page, 'sql', refused), refused).toMatch(why);
    }
    const started = Date.now();
    expect(await ask(page, 'sql', 'SELECT pg_sleep(30)')).toMatch(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await ask(page, 'sql', 'SELECT current_user LIKE $$course_check_%$$ AS sandboxed')).toMatch(/\bt\b/);
    await page.locator('[data-console="sql"]').screenshot({ path: shot('console-sql') });
  }, 60_000);

  it("runs a worked example on the learner's servers, next to the output verify recorded", async () => {
    const page = await site.page();
    await page.goto(`${url}/lessons/04-cache-aside`);
    const example = page.locator('[data-example="04-cache-aside/catalogue"]');
    await example.getByTestId('example-run').click({ timeout: 20_000 });
    const yours = example.getByTestId('example-run-output');
    await yours.waitFor({ timeout: 30_000 });
    await expect(yours.getAttribute('data-matches')).resolves.toBe('true');
    await expect(yours.innerText()).resolves.toContain('second read: Redis');
  }, 60_000);

  it('refuses requests from another origin, or for another host name', async () => {
    // node:http, not fetch: fetch will not send a Host of the caller's choosing.
    const post = (headers: Record<string, string>) =>
      new Promise<{ status: number; json: () => Promise<unknown> }>((resolve, reject) => {
        const { port } = new URL(url);
        const body = JSON.stringify({ input: 'PING' });
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/__course/console/redis',
            method: 'POST',
            headers: { 'content-type': 'application/json', host: `127.0.0.1:${port}`, ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ origin: url, host: 'evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    const own = await post({ origin: url });
    expect(own.status).toBe(200);
    await expect(own.json()).resolves.toEqual({ ok: true, value: 'PONG' });
  });

  it('leaves what is outside its sandbox alone, and nothing of its own once the docs server stops', async () => {
    await expect(redis.get(marker)).resolves.toBe('planted outside the console');
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [marker]);
    expect(rowCount).toBe(1);
    expect(runs).toHaveLength(2);
    const stopped = new Promise((resolve) => docs.once('exit', resolve));
    docs.kill('SIGTERM');
    await stopped;
    for (const run of runs) {
      const pattern = `course\\_check\\_${run}\\_%`;
      const left = await admin.query(
        'SELECT datname AS name FROM pg_database WHERE datname LIKE $1 UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
        [pattern],
      );
      expect(left.rows, `run ${run}`).toEqual([]);
      const users = (await redis.sendCommand(['ACL', 'USERS'])) as string[];
      expect(users.filter((u) => u.includes(run))).toEqual([]);
    }
  }, 30_000);
});
