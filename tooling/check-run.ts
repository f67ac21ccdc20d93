// Runs the hidden checks of some exercises, in this process, against the learner's code
// (exercises/) or the reference solutions, and returns what passed. Verify, the bench and the
// guided runner come through here; `npm test` (scripts/test.mjs) starts Vitest the same way.
// What the run is travels to the check processes through Vitest's provide, never the environment;
// the checks themselves (their config, their reporter) are named by path, not imported.
import { join } from 'node:path';
import { exercises as allExercises, folderOf, type Exercise } from '../manifest.ts';
import type { RunSummary } from './results.ts';
import type { RunSettings } from './run-settings.ts';
import { projectRoot } from './services.ts';

export interface RunOptions {
  /** Which exercises; all of them when omitted. */
  exercises?: readonly Exercise[];
  /** 'exercises' (default), 'solutions', or an absolute folder laid out the same way. */
  target?: string;
  /** Print results as they come (default true). */
  print?: boolean;
  /** Service URLs already found (skips looking for them again in the global setup). */
  services?: { postgresUrl: string; redisUrl: string };
  /** Where to keep each exercise's verdict for the site (tooling/learner-results.ts); none when absent. */
  results?: string;
}

export function checkFileOf(exercise: Exercise): string {
  return `checks/${folderOf(exercise)}.check.ts`;
}

/** The absolute folder of the code under check: 'exercises', 'solutions', or a folder given as is. */
export function targetFolder(target = 'exercises'): string {
  return target.startsWith('/') ? target : join(projectRoot, target);
}

export async function runChecks(options: RunOptions = {}): Promise<RunSummary> {
  const selected = options.exercises ?? allExercises;
  const target = options.target ?? 'exercises';
  const course: RunSettings = { target: targetFolder(target), checkFiles: selected.length, command: 'run' };
  // Vitest sets process.exitCode when a check fails; here failing checks are results to return
  // (a stub fails on purpose), and the caller decides what its own exit code is.
  const exitCode = process.exitCode;
  // A run that never reached the reporter's end has no summary: nothing ran.
  let summary: RunSummary = { results: [], passed: 0, failed: 0, ms: 0, outside: 0 };
  try {
    // Loaded on first use: what imports this module for checkFileOf or the types stays light.
    const { createVitest } = await import('vitest/node');
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const vitest = await createVitest('test', {
      config: join(projectRoot, 'checks', 'vitest.config.ts'),
      watch: false,
      root: projectRoot,
      // By path, as `npm test` names it: the reporter belongs to the checks, and its summary comes back below.
      reporters: [
        [
          join(projectRoot, 'checks', 'harness', 'reporter.ts'),
          {
            print: options.print ?? true,
            target,
            results: options.results,
            onSummary: (s: RunSummary) => (summary = s),
          },
        ],
      ],
      provide: {
        course,
        ...(options.services
          ? { servicesGiven: { postgresUrl: options.services.postgresUrl, redisUrl: options.services.redisUrl } }
          : {}),
      },
    });
    // Vitest answers Ctrl-C by ending the process at once. Here the caller (the guided runner)
    // owns its signals, so that quitting stops its containers; the run's own holdings are
    // released by the global setup either way.
    for (const signal of signals) {
      for (const listener of process.listeners(signal))
        if (!before.get(signal)!.has(listener)) process.off(signal, listener);
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
  }
  return summary;
}
