// Watches one exercise's file and checks it on every save, in one warm check session for the
// whole of `npm run learn` (tooling/warm-checks.ts): the services, the run's database, its
// Redis claim and the check process stay up, and a save re-imports only the learner's file.
// Saves as editors make them (a rename over the file, a truncate then a write, two writes in a
// row) settle into one check; a save during a check supersedes it (its verdict is dropped, one
// more check runs). Where file events never come (a network drive, WSL on a Windows path), a
// slow look at the file notices the save all the same and suggests the manual mode, in which
// Enter checks.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Exercise } from '../manifest.ts';
import type { ExerciseResult } from '../tooling/results.ts';
import type { Services } from '../tooling/services.ts';
import type { WarmChecks } from '../tooling/warm-checks.ts';
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
  /** No file watching: checks run when asked (checkNow, the Enter key). */
  manual?: boolean;
  /** Called before each run (to clear the screen and draw the header). */
  onRunStart?(exercise: Exercise, reason: Reason): void;
  /** Called with the outcome of each run that was not superseded, once progress is recorded. */
  onVerdict(verdict: Verdict): void;
  /** Called when a save was noticed with no file event: watching does not work here. */
  onNoEvents?(): void;
}

export type Reason = 'open' | 'save';

/** Editors save in bursts (write, rename, chmod): the check starts this long after the last event. */
export const SETTLE_MS = 25;
/** A second event with the same content this soon after a check started is the same save (VS Code writes twice). */
export const SAME_SAVE_MS = 1000;
/** How often the file is looked at in case no event comes, and how long an event may take to come. */
export const LOOK_EVERY_MS = 1000;
export const EVENT_LATE_MS = 1500;

export class ExerciseWatcher {
  private current?: Exercise;
  private fsWatcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private looking?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again?: Reason;
  /** A save arrived while a check ran: its verdict is about an older file. */
  private superseded = false;
  private closed = false;
  private session?: Promise<WarmChecks>;
  /** What the last check started from, and when. */
  private lastChecked?: { hash: string | undefined; at: number };
  private lastEventAt = 0;
  private seen?: { stamp: string; since: number };
  private toldNoEvents = false;

  constructor(private readonly options: WatcherOptions) {}

  get exercise(): Exercise | undefined {
    return this.current;
  }

  /** Watches `exercise` from now on (instead of the one before) and checks it at once. */
  open(exercise: Exercise): void {
    this.unwatch();
    this.current = exercise;
    this.lastChecked = undefined;
    const file = learnerFile(this.options.course, exercise);
    if (!this.options.manual) {
      // chokidar follows the file through renames (atomic saves, vim's backup dance) and its re-creation.
      this.fsWatcher = watch(file, { ignoreInitial: true, atomic: true });
      this.fsWatcher.on('all', () => this.onEvent());
      this.fsWatcher.on('error', () => {});
      this.seen = { stamp: stampOf(file), since: Date.now() };
      this.looking = setInterval(() => this.look(file), LOOK_EVERY_MS);
      this.looking.unref();
    }
    this.request('open');
  }

  /** Checks the file now (the Enter key; the only way in manual mode). */
  checkNow(): void {
    this.lastChecked = undefined;
    this.request('save');
  }

  private onEvent(): void {
    this.lastEventAt = Date.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request('save'), SETTLE_MS);
  }

  /** The slow look: a file that changed with no event for a while was saved where watching fails. */
  private look(file: string): void {
    const stamp = stampOf(file);
    const now = Date.now();
    if (!this.seen || stamp !== this.seen.stamp) {
      this.seen = { stamp, since: now };
      return;
    }
    const changedUnseen = this.seen.since > this.lastEventAt + EVENT_LATE_MS && now - this.seen.since >= EVENT_LATE_MS;
    if (!changedUnseen || this.seen.since <= (this.lastChecked?.at ?? 0)) return;
    this.lastEventAt = now;
    if (!this.toldNoEvents) {
      this.toldNoEvents = true;
      this.options.onNoEvents?.();
    }
    this.request('save');
  }

  /** Runs the checks now, or right after the run in progress (which a save supersedes). */
  request(reason: Reason): void {
    if (this.closed) return;
    if (this.running) {
      if (reason === 'save') this.superseded = true;
      this.again = this.again === 'open' ? 'open' : reason;
      return;
    }
    this.running = this.run(reason)
      .catch((error: unknown) => console.error(error instanceof Error ? error.message : String(error)))
      .finally(() => {
        this.running = undefined;
        const again = this.again;
        this.again = undefined;
        if (again) this.request(again);
      });
  }

  private checks(): Promise<WarmChecks> {
    const { course, services, print } = this.options;
    this.session ??= import('../tooling/warm-checks.ts').then(({ WarmChecks }) =>
      WarmChecks.open({ target: course.checkTarget, results: join(course.stateDir, 'results'), print, services }),
    );
    return this.session;
  }

  private async run(reason: Reason): Promise<void> {
    const exercise = this.current;
    if (!exercise) return;
    const { course } = this.options;
    const file = learnerFile(course, exercise);
    const hash = hashOf(file);
    // The second write of one save: the check of the first one has it already.
    const last = this.lastChecked;
    if (reason === 'save' && last && last.hash === hash && Date.now() - last.at < SAME_SAVE_MS) return;
    this.lastChecked = { hash, at: Date.now() };
    this.superseded = false;
    this.options.onRunStart?.(exercise, reason);
    const session = await this.checks();
    session.changed(file);
    const summary = await session.run({ exercise });
    const result = summary.results.find((r) => r.exercise.id === exercise.id);
    const passed = passedAll(result) && summary.failed === 0;
    if (this.closed || this.superseded || this.current !== exercise) return;
    recordRun(course, exercise, hash, passed);
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
    clearInterval(this.looking);
    this.timer = undefined;
    this.looking = undefined;
    void this.fsWatcher?.close();
    this.fsWatcher = undefined;
  }

  /** Stops watching, waits for a run in progress to end (its result is dropped), and ends the session. */
  async close(): Promise<void> {
    this.closed = true;
    this.again = undefined;
    this.unwatch();
    await this.running;
    await (await this.session?.catch(() => undefined))?.close();
  }
}

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
