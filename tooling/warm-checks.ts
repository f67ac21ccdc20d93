// A session of check runs in one Vitest instance that stays alive: the guided runner re-checks
// an exercise on every save, verify runs every attempt of checks/attempts/. The services, the
// run's databases and roles, its Redis claims and the check processes themselves (tooling/warm-pool.ts)
// are made once; each run re-imports only the code under check, and the harness starts it from
// a clean state (tables made anew, the Redis database wiped while it is provably ours), so the
// verdict is the one a fresh `npm test NN` gives.
import { join } from 'node:path';
import type { Vitest } from 'vitest/node';
import { folderOf, type Exercise } from '../manifest.ts';
import { checkFileOf, checksVitest, targetFolder } from './check-run.ts';
import type { RunSummary } from './results.ts';
import type { RunSettings } from './run-settings.ts';
import { projectRoot } from './services.ts';
import { withDeadline } from './deadline.ts';
import { closeWarmProcesses, warmForks } from './warm-pool.ts';

export interface SessionOptions {
  /** 'exercises' (default), 'solutions', or an absolute folder laid out the same way. */
  target?: string;
  /** Print results as they come (default true). */
  print?: boolean;
  /** Service URLs already found (skips looking for them in the global setup). */
  services?: { postgresUrl: string; redisUrl: string };
  /** Where to keep each exercise's verdict for the site; none when absent. */
  results?: string;
}

export interface WarmRun {
  exercise: Exercise;
  /** The module to check instead of the target's file (an attempt), absolute. */
  file?: string;
  /** Only the check with this title (an attempt that must fail one check); the others are left out of the results. */
  only?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longer than any check file takes, even on code that waits out every timeout (01's take about 30 s). */
const RUN_DEADLINE_MS = 120_000;
const EMPTY: RunSummary = { results: [], passed: 0, failed: 0, ms: 0, outside: 0 };

export class WarmChecks {
  private closed = false;

  private constructor(
    private readonly vitest: Vitest,
    private readonly settings: RunSettings,
    /** What the reporter summed up at the end of the last run. */
    private readonly last: { summary: RunSummary },
  ) {}

  static async open(options: SessionOptions = {}): Promise<WarmChecks> {
    const target = options.target ?? 'exercises';
    const settings: RunSettings = { target: targetFolder(target), checkFiles: 1, command: 'run', warm: true };
    const last = { summary: EMPTY };
    const vitest = await checksVitest({
      course: settings,
      target,
      print: options.print,
      services: options.services,
      results: options.results,
      onSummary: (s) => (last.summary = s),
      more: {
        pool: warmForks,
        // Not isolated: Vitest would evaluate the harness and the drivers again before every file.
        // The harness itself makes each run start clean, and the code under check is evaluated anew.
        isolate: false,
        // One check process, kept: runs of a session come one after another.
        maxWorkers: 1,
      },
    });
    // Reporters meet the instance (onInit) here; no check runs yet.
    await vitest.standalone();
    return new WarmChecks(vitest, settings, last);
  }

  /** Runs the checks of one exercise, against the target's file or the one given. */
  async run({ exercise, file, only }: WarmRun): Promise<RunSummary & { stalled?: true }> {
    if (this.closed) throw new Error('the check session is closed');
    const project = this.vitest.getRootProject();
    // What the check process imports must be read again: Vitest's server keeps what it transformed.
    this.vitest.invalidateFile(file ?? join(this.settings.target, folderOf(exercise), exercise.file));
    const spec = project.createSpecification(
      join(projectRoot, checkFileOf(exercise)),
      only ? { testNamePattern: new RegExp(`(?:^| )${escapeRegExp(only)}$`) } : [],
    );
    const files: Record<string, string> = file ? { [exercise.id]: file } : {};
    project.provide('course', { ...this.settings, files });
    this.last.summary = EMPTY;
    // Vitest sets process.exitCode when a check fails: here failing checks are results to return.
    const exitCode = process.exitCode;
    try {
      const running = this.vitest.runTestSpecifications([spec]);
      // Every check and hook has its own timeout, so a run that goes on past this is stuck between
      // them: its process is ended (as the watchdog ends a frozen one) and the run ends with it.
      if (
        (await withDeadline(
          running.then(() => true),
          RUN_DEADLINE_MS,
        )) !== true
      ) {
        await closeWarmProcesses(this.vitest);
        if (
          (await withDeadline(
            running.then(() => true),
            30_000,
          )) !== true
        )
          throw new Error(`the checks of ${exercise.id} stalled and did not end with their process`);
        return { ...this.last.summary, stalled: true };
      }
    } finally {
      process.exitCode = exitCode;
    }
    return this.last.summary;
  }

  /** Tells the session that a file changed on disk (the learner saved it). */
  changed(file: string): void {
    this.vitest.invalidateFile(file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The kept check processes first: they hold connections the run's teardown would wait for.
    await closeWarmProcesses(this.vitest);
    const exitCode = process.exitCode;
    try {
      await this.vitest.close();
    } finally {
      process.exitCode = exitCode;
    }
  }
}
