// The exit code of `npm test` is the verdict: 0 only when every selected check ran and passed.
// A frozen, crashed or killed run fails, says why in one message, and changes no later verdict.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/verdict', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function npmTest(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['scripts/test.mjs', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL, COURSE_FROZEN_MS: '1500', ...env },
  });
  return runToEnd(child);
}

const solutionPasses = async () => {
  const run = await npmTest(['--solutions', '04']);
  expect(run.stdout).toMatch(/✓ 04 cache-aside: all \d+ checks pass\./);
  expect(run.code).toBe(0);
};

describe('the exit code is the verdict', () => {
  it('fails an untouched stub', async () => {
    const run = await npmTest(['04']);
    expect(run.stdout).toMatch(/✗ 04 cache-aside: 0 of \d+ checks pass\./);
    expect(run.code).toBe(1);
  });

  it.each([
    [
      'frozen',
      'freezes in a check',
      /the process was frozen for \d+\.\d s/,
      /could not finish \(0 of \d+ checks passed before they stopped\)/,
    ],
    [
      'frozen-on-load',
      'freezes while it loads',
      /to finish loading\.\n\s*Observed: loading it froze the process/,
      /the checks could not start/,
    ],
    ['exits', 'ends its process', /the check process ended in the middle of them/, /could not finish/],
    ['kills-itself', 'kills its own process', /the check process ended in the middle of them/, /could not finish/],
  ])(
    'fails code in %s that %s, saying why, and a correct file passes right after',
    async (fixture, _, why, line) => {
      const run = await npmTest(['04'], { COURSE_TARGET: join(fixtures, fixture) });
      expect(run.stdout).toMatch(why);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(line);
      expect(run.stdout).not.toMatch(/Worker forks emitted error|0 of 0 checks/);
      expect(run.code).toBe(1);
      await solutionPasses();
    },
    60_000,
  );

  it('passes a correct file after a run was killed outright', async () => {
    const child = spawn(process.execPath, ['scripts/test.mjs', '04'], {
      cwd: root,
      env: {
        ...process.env,
        NO_COLOR: '1',
        DATABASE_URL,
        REDIS_URL,
        COURSE_FROZEN_MS: '1500',
        COURSE_TARGET: join(fixtures, 'frozen'),
      },
    });
    const ended = runToEnd(child);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGKILL');
    await ended;
    await solutionPasses();
  }, 60_000);

  it('is not changed by notes an earlier run left', async () => {
    // What a killed run of an earlier version could leave: a frozen-check note naming 04's check
    // file, and an open-file note holding a URL.
    const stale = join(root, '.course', 'frozen', 'deadbeef');
    mkdirSync(stale, { recursive: true });
    writeFileSync(
      join(stale, '123.json'),
      JSON.stringify({ file: join(root, 'checks', '04-cache-aside.check.ts'), test: 'x', frozenFor: 9000 }),
    );
    mkdirSync(join(root, '.course', 'open'), { recursive: true });
    writeFileSync(
      join(root, '.course', 'open', 'course_check_deadbeef_04_aa.txt'),
      JSON.stringify({ runId: 'deadbeef', runPid: 1, postgresUrl: 'postgres://x:secret@h/db', redisUrl: 'redis://h' }),
    );
    try {
      await solutionPasses();
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
    expect(existsSync(join(root, '.course', 'open'))).toBe(false);
  });
});
