// What makes a one-shot `npm test` start fast, each held to doing the same as the slow way:
//   - the check process started ahead of Vitest (tooling/prefork.mjs) is the one Vitest uses,
//     and a run whose process could not be matched falls back to Vitest's own, with the same verdict;
//   - the compiled harness and run modules (tooling/one-shot.mjs) find the project where the
//     TypeScript does, and Vitest is pointed at them;
//   - the run's own Redis client (tooling/resp.ts) logs in, selects, names itself and reads
//     every reply shape the release uses, and fails in words on a server that never answers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { compiledHarness, harnessFilesIfCurrent, loadOneShot } from '../../tooling/one-shot.mjs';
import { connectResp, ReplyError } from '../../tooling/resp.ts';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';
import { processes } from '../support/processes.ts';
import { runToEnd } from '../support/run-to-end.ts';

/**
 * Runs `npm test --solutions 09` (its checks take seconds) and watches, every 50 ms until it ends,
 * which check processes it holds: Vitest's workers run dist/workers/forks.js, and one started
 * ahead loads prefork-preload.mjs. Watching the whole run, not one moment of it, holds however
 * busy the machine is.
 */
async function checkProcessesOfRun(env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['scripts/test.mjs', '--solutions', '09'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL, ...env },
  });
  const seen = new Map<number, string>();
  const watch = setInterval(() => {
    for (const p of processes())
      if (p.parent === child.pid && p.cmdline.includes('workers/forks.js')) seen.set(p.pid, p.cmdline);
  }, 50);
  const run = await runToEnd(child).finally(() => clearInterval(watch));
  const started = [...seen.values()];
  return {
    run,
    ahead: started.filter((c) => c.includes('prefork-preload.mjs')),
    vitests: started.filter((c) => !c.includes('prefork-preload.mjs')),
  };
}

describe('the check process started ahead', () => {
  it('is the process Vitest runs the checks in', async () => {
    const { run, ahead, vitests } = await checkProcessesOfRun();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(ahead).toHaveLength(1);
    expect(vitests).toEqual([]);
  });

  it('is ended, and Vitest starts its own, when it was not started as Vitest would start it', async () => {
    // Vite reads NODE_ENV while loading the config: a process started for the default is no match.
    const { run, vitests } = await checkProcessesOfRun({ NODE_ENV: 'production' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('09 job-queue: all');
    expect(vitests).toHaveLength(1);
  });
});

describe('the compiled modules of a one-shot run', () => {
  it('find the exercises from the project root, as the TypeScript does', async () => {
    const oneShot = await loadOneShot();
    const { ready, halfAdded } = oneShot.catalog();
    expect(halfAdded).toEqual([]);
    expect(ready.map((e: { id: string }) => e.id)).toEqual(oneShot.exercises.map((e: { id: string }) => e.id));
  });

  it('compile every harness module, which Vitest is then pointed at', async () => {
    const { files, plugin } = await compiledHarness();
    const modules = readdirSync(join(root, 'checks', 'harness')).filter(
      (name) =>
        name.endsWith('.ts') &&
        !['watchdog.ts', 'early-open.ts', 'global-setup.ts', 'reporter.ts', 'one-shot-entry.ts'].includes(name),
    );
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(
      modules.sort().map((m) => m.replace(/\.ts$/, '.mjs')),
    );
    for (const file of files) expect(existsSync(file)).toBe(true);
    const checkFile = join(root, 'checks', '04-cache-aside.check.ts');
    expect(plugin.resolveId('./harness/course.ts', checkFile)).toBe(files.find((f) => f.endsWith('/course.mjs')));
    expect(plugin.resolveId('./course.ts', join(root, 'checks', 'harness', 'early-open.ts'))).toBe(
      files.find((f) => f.endsWith('/course.mjs')),
    );
    // Not the code under check, nor the setup files, nor packages.
    expect(plugin.resolveId('../exercises/04-cache-aside/get-user.ts', checkFile)).toBeNull();
    expect(plugin.resolveId('./harness/watchdog.ts', checkFile)).toBeNull();
    expect(plugin.resolveId('vitest', checkFile)).toBeNull();
    // What a process started ahead loads: all of them but the one that needs Vitest's runtime.
    expect(harnessFilesIfCurrent()).toEqual(files.filter((f) => !f.endsWith('/course.mjs')));
  });

  it('load as Node loads them, reading the course files where they are', async () => {
    const { files } = await compiledHarness();
    // sandbox-postgres reads db/schema.sql from the project root as it loads.
    const sandbox = await import(files.find((f) => f.endsWith('/sandbox-postgres.mjs'))!);
    expect(typeof sandbox.RunDatabase).toBe('function');
  });
});

describe("the run's own Redis client", () => {
  const admin = createClient({ url: REDIS_URL });
  const user = `course-test-resp-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let silent: Server;
  beforeAll(async () => {
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', user, 'on', `>${password}`, '+@all', '~*']);
    silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await admin.sendCommand(['ACL', 'DELUSER', user]);
    await admin.close();
    silent.close();
  });

  it('logs in as the URL says, on its database, under its name, and reads every reply', async () => {
    const u = new URL(REDIS_URL);
    u.username = user;
    u.password = password;
    u.pathname = '/7';
    const client = await connectResp(u.toString(), { name: 'course-test-resp' });
    try {
      const info = String(await client.send(['CLIENT', 'INFO']));
      expect(info).toMatch(/\bname=course-test-resp\b/);
      expect(info).toMatch(/\bdb=7\b/);
      expect(info).toContain(`user=${user}`);
      expect(await client.send(['PING'])).toBe('PONG');
      expect(await client.send(['ECHO', 'naïve ☃'])).toBe('naïve ☃');
      expect(await client.eval("return {1, 'two', false, {3}}", {})).toEqual([1, 'two', null, [3]]);
      expect(await client.eval('return KEYS[1] .. ARGV[1]', { keys: ['k'], arguments: ['v'] })).toBe('kv');
      await expect(client.send(['NOSUCHCOMMAND'])).rejects.toBeInstanceOf(ReplyError);
      // One error does not end the connection.
      expect(await client.send(['PING'])).toBe('PONG');
    } finally {
      await client.close();
    }
    await client.closed;
    await expect(client.send(['PING'])).rejects.toThrow(/closed/);
  });

  it('refuses a wrong password with the server’s own words', async () => {
    const u = new URL(REDIS_URL);
    u.username = user;
    u.password = 'wrong';
    await expect(connectResp(u.toString())).rejects.toThrow(/WRONGPASS|invalid/i);
  });

  it('says when a server accepts the connection and never answers, within its time', async () => {
    const address = silent.address() as { port: number };
    const started = Date.now();
    await expect(connectResp(`redis://user:pw@127.0.0.1:${address.port}`, { connectTimeoutMs: 300 })).rejects.toThrow(
      'it accepted the connection but did not answer within 0.3 s',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('passes on a refused connection as the system says it', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(connectResp(`redis://127.0.0.1:${port}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
