// Runs the hidden checks of some exercises, in this process, against the learner's code
// (exercises/) or the reference solutions, and returns what passed. Verify, the bench and the
// guided runner come through here; `npm test` (scripts/test.mjs) starts Vitest the same way.
// What the run is travels to the check processes through Vitest's provide, never the environment;
// the checks themselves (their config, their reporter) are named by path, not imported.
import { join } from 'node:path';
import { exercises as allExercises, folderOf, type Exercise } from '../manifest.ts';
import type { Vitest } from 'vitest/node';
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

/** What both ways of running checks in this process (runChecks, WarmChecks) give Vitest. */
export interface ChecksVitestOptions {
  course: RunSettings;
  /** What the reporter prints as the checked folder. */
  target: string;
  print?: boolean;
  services?: { postgresUrl: string; redisUrl: string };
  results?: string;
  onSummary(summary: RunSummary): void;
  /** More of Vitest's options (a pool, isolation, workers). */
  more?: Record<string, unknown>;
}

/**
 * A Vitest instance for the checks, in this process: their config and reporter named by path (as
 * `npm test` names them), the run's settings through provide, and Vitest's own Ctrl-C handling
 * taken off, since the caller (the guided runner) owns its signals so that quitting stops its
 * containers; the run's own holdings are released by the global setup either way.
 */
export async function checksVitest(options: ChecksVitestOptions): Promise<Vitest> {
  // Loaded on first use: what imports this module for checkFileOf or the types stays light.
  const { createVitest } = await import('vitest/node');
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const vitest = await createVitest('test', {
    config: join(projectRoot, 'checks', 'vitest.config.ts'),
    watch: false,
    root: projectRoot,
    ...options.more,
    reporters: [
      [
        join(projectRoot, 'checks', 'harness', 'reporter.ts'),
        {
          print: options.print ?? true,
          target: options.target,
          results: options.results,
          onSummary: options.onSummary,
        },
      ],
    ],
    provide: {
      course: options.course,
      ...(options.services
        ? { servicesGiven: { postgresUrl: options.services.postgresUrl, redisUrl: options.services.redisUrl } }
        : {}),
    },
  });
  for (const signal of signals) {
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return vitest;
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
    const vitest = await checksVitest({
      course,
      target,
      print: options.print,
      services: options.services,
      results: options.results,
      onSummary: (s) => (summary = s),
    });
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
