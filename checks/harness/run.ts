// Runs the hidden checks of some exercises, in this process, against the learner's code
// (exercises/) or the reference solutions, and returns what passed. Verify, the bench and the
// guided runner come through here; `npm test` (scripts/test.mjs) starts Vitest the same way.
import { exercises as allExercises, folderOf, type Exercise } from '../../manifest';
import { clearFrozen, TeachingReporter, type RunSummary } from './reporter';
import { projectRoot } from './services';

export interface RunOptions {
  /** Which exercises; all of them when omitted. */
  exercises?: readonly Exercise[];
  /** 'exercises' (default), 'solutions', or an absolute folder laid out the same way. */
  target?: string;
  /** Print results as they come (default true). */
  print?: boolean;
  /** Service URLs already found (skips looking for them again in the global setup). */
  services?: { postgresUrl: string; redisUrl: string };
}

export function checkFileOf(exercise: Exercise): string {
  return `checks/${folderOf(exercise)}.check.ts`;
}

export async function runChecks(options: RunOptions = {}): Promise<RunSummary> {
  const selected = options.exercises ?? allExercises;
  const target = options.target ?? 'exercises';
  // The check processes Vitest forks inherit this process's environment: set it for the run only.
  const overrides = checkEnv(options);
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  Object.assign(process.env, overrides);
  clearFrozen();
  const reporter = new TeachingReporter({ print: options.print ?? true, target });
  // Vitest sets process.exitCode when a check fails; here failing checks are results to return
  // (a stub fails on purpose), and the caller decides what its own exit code is.
  const exitCode = process.exitCode;
  try {
    // Loaded on first use: what imports this module for checkFileOf or the types stays light.
    const { createVitest } = await import('vitest/node');
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const vitest = await createVitest('test', {
      config: `${projectRoot}checks/vitest.config.ts`, watch: false, reporters: [reporter], root: projectRoot,
    });
    // Vitest answers Ctrl-C by ending the process at once. Here the caller (the guided runner)
    // owns its signals, so that quitting stops its containers; the run's own holdings are
    // released by the global setup either way.
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
    try {
      await vitest.start(selected.map(checkFileOf));
    } catch (error) {
      vitest.logger.printError(error, { fullStack: true, type: 'Unhandled Error' });
    } finally {
      await vitest.close();
    }
  } finally {
    process.exitCode = exitCode;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return reporter.summary;
}

/** What the check processes must find in their environment: the code under check, and the servers. */
function checkEnv(options: RunOptions): Record<string, string> {
  return {
    COURSE_TARGET: options.target ?? 'exercises',
    // How many databases the global setup creates ahead: one per check process that will run.
    COURSE_CHECK_FILES: String((options.exercises ?? allExercises).length),
    ...(options.services ? { DATABASE_URL: options.services.postgresUrl, REDIS_URL: options.services.redisUrl } : {}),
  };
}
