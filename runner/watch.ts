// Watches one exercise's file and re-runs that exercise's checks on every save, against services
// found once by the caller. Runs never overlap: a save during a run queues one more run.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Exercise } from '../manifest.ts';
import { check } from './run-checks.ts';
import type { ExerciseResult } from '../tooling/results.ts';
import type { Services } from '../tooling/services.ts';
import { learnerFile, type Course } from './course.ts';
import { hashOf, passedAll, recordRun } from './progress.ts';

export interface Verdict {
  exercise: Exercise;
  passed: boolean;
  /** Checks that passed, and how many there were. */
  passedChecks: number;
  totalChecks: number;
  result?: ExerciseResult;
  /** Time the checks took, in ms. */
  ms: number;
}

export interface WatcherOptions {
  course: Course;
  services: Pick<Services, 'postgresUrl' | 'redisUrl'>;
  /** Let the checks print their results (the interactive runner) or stay quiet (the bench). */
  print: boolean;
  /** Called before each run (to clear the screen and draw the header). */
  onRunStart?(exercise: Exercise, reason: 'open' | 'save'): void;
  /** Called with the outcome of each run, once progress is recorded. */
  onVerdict(verdict: Verdict): void;
}

/** Editors save in bursts (write, rename, chmod): wait this long after the last event. */
export const DEBOUNCE_MS = 100;

export class ExerciseWatcher {
  private current?: Exercise;
  private fsWatcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again?: 'open' | 'save';
  private closed = false;

  constructor(private readonly options: WatcherOptions) {}

  get exercise(): Exercise | undefined {
    return this.current;
  }

  /** Watches `exercise` from now on (instead of the one before) and checks it at once. */
  open(exercise: Exercise): void {
    this.unwatch();
    this.current = exercise;
    const file = learnerFile(this.options.course, exercise);
    // Watch the folder, not the file: many editors save by writing a new file and renaming it
    // over the old one, which ends a watch held on the old file.
    try {
      this.fsWatcher = watch(dirname(file), (_event, name) => {
        if (name === null || name === basename(file)) this.schedule();
      });
      this.fsWatcher.on('error', () => this.unwatch());
    } catch {
      // The folder is missing: the run below says so, and a reset brings it back.
    }
    this.request('open');
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request('save'), DEBOUNCE_MS);
  }

  /** Runs the checks now, or right after the run in progress. */
  request(reason: 'open' | 'save'): void {
    if (this.closed) return;
    if (this.running) {
      this.again = this.again === 'open' ? 'open' : reason;
      return;
    }
    this.running = this.run(reason).finally(() => {
      this.running = undefined;
      const again = this.again;
      this.again = undefined;
      if (again) this.request(again);
    });
  }

  private async run(reason: 'open' | 'save'): Promise<void> {
    const exercise = this.current;
    if (!exercise) return;
    const { course, services, print } = this.options;
    this.options.onRunStart?.(exercise, reason);
    const hash = hashOf(learnerFile(course, exercise));
    const summary = await check({
      exercises: [exercise],
      target: course.checkTarget,
      results: join(course.stateDir, 'results'),
      print,
      services,
    });
    const result = summary.results.find((r) => r.exercise.id === exercise.id);
    const passed = passedAll(result) && summary.failed === 0;
    recordRun(course, exercise, hash, passed);
    if (this.closed) return;
    this.options.onVerdict({
      exercise,
      passed,
      passedChecks: result?.passed ?? 0,
      totalChecks: (result?.passed ?? 0) + (result?.failed ?? 0),
      ...(result ? { result } : {}),
      ms: summary.ms,
    });
  }

  /** Resolves when no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private unwatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fsWatcher?.close();
    this.fsWatcher = undefined;
  }

  /** Stops watching and waits for a run in progress to end (its result is dropped). */
  async close(): Promise<void> {
    this.closed = true;
    this.again = undefined;
    this.unwatch();
    await this.running;
  }
}
