// Nothing a run makes outlives it, whatever ends it: runs of the checks are killed at random
// moments (the whole process group, the run's process alone, Ctrl-C) or have a server restart
// under them, on servers of this test's own; after each, once the next run has swept, no
// database, role, Redis user or claimed Redis database of any run is left.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseDeadRuns } from '../../tooling/release.ts';
import { NOTHING, runHoldings } from '../support/leftovers.ts';
import {
  canRunPrivatePostgres,
  canRunPrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateServer,
} from '../support/private-servers.ts';
import { processes } from '../support/processes.ts';
import { runToEnd } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Two of each ending in verify; COURSE_KILL_TRIALS=50 when hunting a rare one.
const TRIALS = Number(process.env.COURSE_KILL_TRIALS ?? 10);
const ENDINGS = [
  'kill -9 the process group',
  'kill -9 the run only',
  'Ctrl-C',
  'Postgres restarts',
  'Redis restarts',
] as const;

/** A small seeded generator, so that a failing trial can be told and run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function waitFor(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

describe.skipIf(!canRunPrivatePostgres || !canRunPrivateRedis)('runs ended at random moments', () => {
  let postgres: PrivateServer;
  let redis: PrivateServer;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled([postgres?.stop(), redis?.stop()]);
  });

  it(`leave nothing behind once the next run has started (${TRIALS} trials)`, async () => {
    const seed = Number(process.env.COURSE_KILL_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    const env = { ...process.env, NO_COLOR: '1', DATABASE_URL: postgres.url, REDIS_URL: redis.url };
    const trials: string[] = [];
    const args = ['scripts/test.mjs', '--solutions', '02', '04', '08'];
    // How long a whole run takes here and now: every ending comes at a random moment within it.
    const started = Date.now();
    const whole = await runToEnd(spawn(process.execPath, args, { cwd: root, env }));
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    const span = Date.now() - started;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const ending = ENDINGS[trial % ENDINGS.length]!;
      const delay = Math.round(100 + next() * (span * 0.85 - 100));
      const label = `trial ${trial + 1} (seed ${seed}): ${ending} after ${delay} ms`;
      trials.push(label);
      const child = spawn(process.execPath, args, {
        cwd: root,
        env,
        detached: true,
      });
      const ended = runToEnd(child);
      await new Promise((r) => setTimeout(r, delay));
      // A run that was quicker this time has ended already: nothing to kill, the same to check.
      const signal = (pid: number, name: NodeJS.Signals) => {
        try {
          process.kill(pid, name);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      };
      if (ending === 'kill -9 the process group') signal(-child.pid!, 'SIGKILL');
      else if (ending === 'kill -9 the run only') signal(child.pid!, 'SIGKILL');
      else if (ending === 'Ctrl-C') signal(-child.pid!, 'SIGINT');
      else if (ending === 'Postgres restarts') await postgres.restart();
      else await redis.restart();
      await ended;
      // Every process of the run gone (its check processes end themselves once the run is gone).
      if (!(await waitFor(() => !groupAlive(child.pid!), 5000)))
        expect.fail(
          `${label}: processes outlived the run:\n${processes()
            .filter((p) => p.group === child.pid)
            .map((p) => `  ${p.pid} (parent ${p.parent}, state ${p.state}): ${p.cmdline}`)
            .join('\n')}`,
        );
      // The next run's sweep, as its global setup makes it.
      await waitFor(async () => {
        await releaseDeadRuns(postgres.url, redis.url, 'none');
        const left = await runHoldings(postgres.url, redis.url);
        return JSON.stringify(left) === JSON.stringify(NOTHING);
      }, 5000);
      expect(await runHoldings(postgres.url, redis.url), label).toEqual(NOTHING);
    }
    // And a whole next run, from start to verdict, on the servers every trial used.
    const last = await runToEnd(spawn(process.execPath, ['scripts/test.mjs', '--solutions', '02'], { cwd: root, env }));
    expect(last.code, last.stdout + last.stderr).toBe(0);
    expect(await runHoldings(postgres.url, redis.url)).toEqual(NOTHING);
    expect(trials).toHaveLength(TRIALS);
  }, 240_000);
});

/**
 * Whether any process of the group led by `pid` is still running. A zombie is not: it has ended,
 * and only waits for the system's first process to collect it (here that can take seconds).
 */
function groupAlive(pid: number): boolean {
  return processes().some((p) => p.group === pid && p.state !== 'Z');
}
