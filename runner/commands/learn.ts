// `npm run learn`: the guided runner. Opens at the first exercise not done, prints its task,
// checks the learner's file on every save against services found once, and takes single keys.
import { existsSync } from 'node:fs';
import type { Exercise } from '../../manifest.ts';
import { bold, dim, red } from '../../tooling/style.ts';
import { provideServices, ServicesError, type Services } from '../../tooling/services.ts';
import { learnerFile, shown, taskPath, taskText, type Course } from '../course.ts';
import { CLEAR_SCREEN, countDone, progressBar, renderList } from '../display.ts';
import { KeyInput, type Key } from '../keys.ts';
import { inDoubt, knownStatuses, readProgress, statuses } from '../progress.ts';
import { firstUnfinished } from '../status.ts';
import { ExerciseWatcher, type Verdict } from '../watch.ts';
import * as say from './learn-messages.ts';
import { revealHint } from './hint.ts';
import { CONFIRM_RESET, RESET_CANCELLED, RESET_DONE, resetExercise } from './reset.ts';
import { renderSolution } from './solution.ts';

type Action = 'check' | 'next' | 'hint' | 'list' | 'reset' | 'solution' | 'task' | 'quit' | 'help';

const KEY_ACTIONS: Readonly<Record<string, Action>> = {
  '\n': 'check',
  n: 'next',
  h: 'hint',
  l: 'list',
  r: 'reset',
  s: 'solution',
  t: 'task',
  q: 'quit',
};

class LearnSession {
  private services?: Services;
  private watcher?: ExerciseWatcher;
  private readonly input = new KeyInput(process.stdin, (key) => this.onKey(key));
  private answer?: (char: string) => void;
  private actions: Promise<void> = Promise.resolve();
  private quitting = false;
  private readonly ended: Promise<void>;
  private end!: () => void;
  /** Exercises whose task was printed in this session (printed once, then a pointer). */
  private readonly taskShown = new Set<string>();
  /** A line to show under the next header (it would be cleared away otherwise). */
  private notice?: string;

  constructor(
    private readonly course: Course,
    private readonly manual = false,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  private readonly onSignal = () => this.onKey({ kind: 'interrupt' });

  private get tty(): boolean {
    return process.stdout.isTTY === true;
  }

  async run(): Promise<void> {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('SIGHUP', this.onSignal);
    try {
      await this.start();
      await this.ended;
    } finally {
      await this.shutdown();
    }
  }

  private async start(): Promise<void> {
    console.log(dim(say.FINDING_SERVICES));
    try {
      this.services = await provideServices();
    } catch (error) {
      if (!(error instanceof ServicesError)) throw error;
      console.error(`${red('✗')} ${error.message}`);
      process.exitCode = 1;
      this.end();
      return;
    }
    if (this.quitting) return;
    console.log(dim(say.USING_SERVICES(this.services.source, this.services.postgresUrl, this.services.redisUrl)));
    const doubtful = inDoubt(this.course);
    if (doubtful.length > 0) console.log(dim(say.CHECKING_EARLIER(doubtful.map((e) => e.id))));
    const now = await statuses(this.course, this.services);
    if (this.quitting) return;
    const first = firstUnfinished(this.course.exercises, now);
    if (!first) {
      console.log(
        `\n${renderList(this.course.exercises, now, new Map())}\n\n${say.ALL_DONE(this.course.exercises.length)}`,
      );
      this.end();
      return;
    }
    this.watcher = new ExerciseWatcher({
      course: this.course,
      services: this.services,
      print: true,
      manual: this.manual,
      onRunStart: (exercise, reason) => this.drawHeader(exercise, reason),
      onVerdict: (verdict) => this.drawVerdict(verdict),
      onNoEvents: () => (this.notice = say.NO_EVENTS),
    });
    this.input.start();
    this.watcher.open(first);
  }

  private drawHeader(exercise: Exercise, reason: 'open' | 'save'): void {
    if (this.tty) process.stdout.write(CLEAR_SCREEN);
    const known = knownStatuses(this.course);
    const file = shown(this.course, learnerFile(this.course, exercise));
    console.log(
      `${bold('Postgres & Redis in TypeScript')}  ${progressBar(countDone(known), this.course.exercises.length)}`,
    );
    console.log(`\n${bold(`${exercise.id} · ${exercise.title}`)}   edit ${file}`);
    const task = taskText(this.course, exercise);
    if (reason === 'open' && task && !this.taskShown.has(exercise.id)) {
      this.taskShown.add(exercise.id);
      console.log(`\n${task.trimEnd()}\n`);
    } else {
      console.log(dim(`Task: ${taskPath(this.course, exercise)} (t shows it here)`));
    }
    if (!existsSync(learnerFile(this.course, exercise))) console.log(`\n${red(say.FILE_MISSING(file))}`);
    if (this.notice) console.log(`\n${this.notice}`);
    this.notice = undefined;
    console.log(dim(say.CHECKING));
  }

  private drawVerdict(verdict: Verdict): void {
    const { exercise } = verdict;
    console.log();
    if (!verdict.result || (verdict.result.fileError && verdict.totalChecks <= 1))
      console.log(say.COULD_NOT_RUN(exercise));
    else if (verdict.passed) console.log(say.PASSED(exercise, verdict.totalChecks));
    else console.log(say.FAILED(exercise, verdict.passedChecks, verdict.totalChecks));
    if (verdict.passed) {
      const known = knownStatuses(this.course);
      console.log(`Progress ${progressBar(countDone(known), this.course.exercises.length)}`);
      const next = this.nextAfter(exercise);
      console.log(next ? say.NEXT_UP(next) : say.ALL_DONE(this.course.exercises.length));
      console.log(say.COMPARE(exercise.hints.length));
    }
    if (this.manual) console.log(dim(say.MANUAL_MODE));
    console.log(dim(say.KEYS_LINE));
  }

  /** The next exercise not done, after `exercise`, wrapping around; undefined when none is left. */
  private nextAfter(exercise: Exercise): Exercise | undefined {
    const known = knownStatuses(this.course);
    const list = this.course.exercises;
    const at = list.findIndex((e) => e.id === exercise.id);
    const ordered = [...list.slice(at + 1), ...list.slice(0, at)];
    return ordered.find((e) => known.get(e.id) !== 'done');
  }

  private onKey(key: Key): void {
    if (key.kind === 'interrupt' || key.kind === 'end') {
      if (this.quitting && key.kind === 'interrupt') void this.forceStop();
      else this.quit();
      return;
    }
    if (this.answer) {
      const answer = this.answer;
      this.answer = undefined;
      answer(key.char);
      return;
    }
    const action = KEY_ACTIONS[key.char] ?? 'help';
    if (action === 'quit') {
      this.quit();
      return;
    }
    // A check asked for supersedes the one in progress, as a save does: no waiting for it.
    if (action === 'check') {
      this.watcher?.checkNow();
      return;
    }
    this.actions = this.actions
      .then(() => this.watcher?.idle())
      .then(() => (this.quitting ? undefined : this.act(action)))
      .catch((error: unknown) => console.error(error instanceof Error ? error.message : String(error)));
  }

  private async act(action: Action): Promise<void> {
    const watcher = this.watcher;
    const exercise = watcher?.exercise;
    if (!watcher || !exercise) return;
    switch (action) {
      case 'next': {
        const next = this.nextAfter(exercise);
        const done = knownStatuses(this.course).get(exercise.id) === 'done';
        if (!next) console.log(done ? say.ALL_DONE(this.course.exercises.length) : say.ONLY_ONE_LEFT(exercise.id));
        else {
          if (!done) this.notice = dim(say.SKIPPING(exercise.id));
          watcher.open(next);
        }
        return;
      }
      case 'hint':
        console.log(`\n${revealHint(this.course, exercise)}`);
        return;
      case 'list': {
        const { progress } = readProgress(this.course);
        const hints = new Map(Object.entries(progress.exercises).map(([id, e]) => [id, e.hints]));
        console.log(`\n${renderList(this.course.exercises, knownStatuses(this.course), hints, exercise.id)}`);
        return;
      }
      case 'reset': {
        const file = shown(this.course, learnerFile(this.course, exercise));
        process.stdout.write(`\n${CONFIRM_RESET(file)}`);
        const char = await new Promise<string>((resolve) => (this.answer = resolve));
        process.stdout.write(this.input.isTerminal ? `${char === '\n' ? '' : char}\n` : '\n');
        if (char !== 'y') {
          console.log(RESET_CANCELLED);
          return;
        }
        const outcome = resetExercise(this.course, exercise);
        if (!outcome.ok) {
          console.log(outcome.message);
          return;
        }
        // Watch afresh (the folder may have been missing) and check the stub; the notice
        // survives the cleared screen.
        this.notice = RESET_DONE(file, outcome.backup);
        watcher.open(exercise);
        return;
      }
      case 'solution': {
        const status = knownStatuses(this.course).get(exercise.id) ?? 'unchecked';
        console.log(`\n${renderSolution(this.course, exercise, status, process.stdout.columns ?? 160).text}`);
        return;
      }
      case 'task':
        console.log(`\n${taskText(this.course, exercise)?.trimEnd() ?? taskPath(this.course, exercise)}`);
        return;
      case 'check':
        watcher.checkNow();
        return;
      case 'help':
        console.log(dim(say.KEYS_LINE));
        return;
      case 'quit':
        this.quit();
        return;
      default:
        action satisfies never;
    }
  }

  private quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    if (this.answer) this.answer('n');
    this.end();
  }

  /** A second Ctrl-C: stop the services we started and leave without waiting for the run. */
  private async forceStop(): Promise<void> {
    this.input.stop();
    await this.services?.stop();
    process.exit(130);
  }

  private async shutdown(): Promise<void> {
    this.quitting = true;
    this.input.stop();
    if (this.watcher) {
      if (this.watcher.exercise) console.log(`\n${dim(say.STOPPING)}`);
      await this.watcher.close();
    }
    await this.actions;
    await this.services?.stop();
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('SIGHUP', this.onSignal);
    if (this.watcher) {
      const known = knownStatuses(this.course);
      console.log(say.BYE(countDone(known), this.course.exercises.length));
    }
  }
}

export async function learn(course: Course, options: { manual?: boolean } = {}): Promise<void> {
  await new LearnSession(course, options.manual === true).run();
}
