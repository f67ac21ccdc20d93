// Vitest global setup: finds or starts Postgres and Redis once per run and hands their URLs
// to every check file (inject('services')), holds the run's live connections, releases what
// dead runs left, and starts making the run's databases and roles while the check processes
// boot. When the run ends it releases everything the run made (whatever its check processes
// could not clean up themselves) and stops what it started; interrupted (Ctrl-C), it does the
// same before the process ends.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ProvidedServices, RunSettings } from '../../tooling/run-settings.ts';
import { keepAlive } from '../../tooling/keeper.ts';
import { liveName } from '../../tooling/run-names.ts';
import { forgetOldNotes, releaseDeadRuns, releaseRun, type RunHoldings } from '../../tooling/release.ts';
import { red } from '../../tooling/style.ts';
import { prepareRunDatabases } from '../../tooling/run-database.ts';
import { projectRoot, provideServices, ServicesError, type Services } from '../../tooling/services.ts';

export interface RunStart {
  /** Servers the caller found already (verify, the bench), used as they are. */
  servicesGiven?: { postgresUrl: string; redisUrl: string };
  course?: RunSettings;
  /** How many check processes the run may start at once: a database is prepared for each. */
  processes: number;
  /**
   * When to sweep what dead runs left (default: at once). `npm test` puts it off until Vitest is
   * loaded, so that it does not slow Vitest's loading.
   */
  sweepAfter?: Promise<unknown>;
}

export interface StartedRun {
  /** What every check file receives (inject('services')). */
  services: ProvidedServices;
  /** Releases everything the run made and stops what it started. */
  teardown(): Promise<void>;
}

/**
 * The run's start, apart from Vitest: `npm test` (scripts/test.mjs) calls it while Vitest is still
 * loading, and Vitest's global setup (below) calls it for every other way of running the checks.
 */
export async function startRun({ servicesGiven: given, course, processes, sweepAfter }: RunStart): Promise<StartedRun> {
  let services: Services;
  try {
    services = given ? { ...given, source: 'environment', stop: async () => {} } : await provideServices();
  } catch (error) {
    // Run by `npm test`, say what to do in plain words, not as a crash of the test runner.
    if (error instanceof ServicesError && course?.command === 'test') {
      console.error(`${red('✗')} ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const runId = randomBytes(4).toString('hex');
  const holdings: RunHoldings = {
    postgresUrl: services.postgresUrl,
    redisUrl: services.redisUrl,
    runId,
    containerIds: services.containerIds,
  };

  // First the live connections, so that from now on no other run takes this one for dead.
  const keeper = await keepAlive(services.postgresUrl, services.redisUrl, runId);
  // Creating a database takes a few hundred milliseconds on a disk that syncs: do it now, while
  // Vitest starts the check processes, rather than in the first check's setup.
  const workers = Math.max(1, Math.min(course?.checkFiles ?? 1, processes));
  const preparing = prepareRunDatabases(services.postgresUrl, runId, workers, liveName(runId));
  // Meanwhile, release what earlier runs that died without their teardown left behind.
  forgetOldNotes();
  const sweeping = Promise.resolve(sweepAfter)
    .catch(() => {})
    .then(() => releaseDeadRuns(services.postgresUrl, services.redisUrl, runId))
    .catch(() => []);

  // A run can be ended by a signal with no teardown: Vitest ends its process on Ctrl-C, and a
  // closing terminal (SIGHUP) ends it outright. Release everything first, synchronously.
  const release = () => {
    // The check processes first: one still running (they end themselves only once this process
    // is gone) could make again what the release gives back, a Redis user at its next check.
    endCheckProcesses();
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'tooling', 'release.ts'), JSON.stringify(holdings)],
      {
        cwd: projectRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 20_000,
      },
    );
  };
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  const handlers = Object.entries(signals).map(([signal, code]) => {
    const handler = () => {
      release();
      // Whoever else listens (Vitest, the guided runner) ends the process in its own way; when
      // nobody does, end it as Node would have.
      if (process.listenerCount(signal) === 0) process.exit(code);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });

  return {
    services: { postgresUrl: services.postgresUrl, redisUrl: services.redisUrl, runId, source: services.source },
    async teardown() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      await Promise.all([preparing, sweeping]);
      const problems = await releaseRun({ ...holdings, containerIds: [] }, keeper.connections());
      for (const problem of problems) console.error(`checks: could not release what this run held: ${problem}`);
      await keeper.close();
      await services.stop();
    },
  };
}

/**
 * Ends this process's check processes at once (Vitest's workers, and those started ahead of it):
 * on Linux, found in /proc; elsewhere they end themselves when their watchdog sees the run gone.
 */
function endCheckProcesses(): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('workers/forks.js'))
        process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
}

export default async function setup(project: TestProject) {
  const context = project.getProvidedContext();
  const run = await startRun({
    servicesGiven: context.servicesGiven,
    course: context.course,
    processes: Number(project.config.maxWorkers) || 1,
  });
  project.provide('services', run.services);
  return run.teardown;
}
