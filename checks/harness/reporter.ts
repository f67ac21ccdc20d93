// Prints check results the way a learner needs them: the check's name, what was expected and
// what was observed, the line of their file that threw, and the lesson to read. No harness
// stack traces (set COURSE_VERBOSE=1 to see them).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Reporter, SerializedError, TestCase, TestModule, Vitest } from 'vitest/node';
import { exercises, folderOf, lessonPath, type Exercise } from '../../manifest.ts';
import { verdict, type CheckResult, type ExerciseResult, type RunSummary } from '../../tooling/results.ts';
import { frozenDir, LOADING } from '../../tooling/run-names.ts';
import { bold, dim, green, red } from '../../tooling/style.ts';
import { LEARNER_FRAME } from './teach.ts';
import { toLearnerResult, writeLearnerResult } from '../../tooling/learner-results.ts';

export function exerciseOfModule(moduleId: string): Exercise | undefined {
  const name = basename(moduleId).replace(/\.check\.ts$/, '');
  return exercises.find((e) => folderOf(e) === name);
}

function indent(text: string, by = '      '): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

/** Turns whatever a check threw into the text a learner reads. */
export function explain(error: Pick<SerializedError, 'message' | 'name' | 'stack'> | undefined): string {
  if (!error) return 'the check failed without a message';
  if (error.name === 'CheckFailure') return error.message;
  const where = LEARNER_FRAME.exec(error.stack ?? '');
  // A compiler's message arrives painted character by character: the reporter does its own colour.
  const message = stripVTControlCharacters(error.message);
  const head = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${message}`;
  const text = where ? `${head}\n(at ${where[1]}:${where[2]})` : head;
  return process.env.COURSE_VERBOSE ? `${text}\n${error.stack ?? ''}` : text;
}

/** The checks the watchdog of this run (and of no other) found frozen, by check file. */
function readFrozen(runId: string | undefined): Map<string, { test: string; frozenFor: number }> {
  const found = new Map<string, { test: string; frozenFor: number }>();
  if (!runId) return found;
  const dir = frozenDir(runId);
  if (!existsSync(dir)) return found;
  for (const f of readdirSync(dir)) {
    try {
      const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { file: string; test: string; frozenFor: number };
      found.set(basename(data.file), data);
    } catch {
      // A half-written file: nothing to report from it.
    }
  }
  return found;
}

/** What a learner reads when the check process ended before its checks did. */
function frozenText(file: string, frozen: { test: string; frozenFor: number }): string {
  const seconds = (frozen.frozenFor / 1000).toFixed(1);
  if (frozen.test === LOADING) {
    return (
      `Expected: ${file} to finish loading.\nObserved: loading it froze the process for ${seconds} s, and it had to be stopped: ` +
      `code at the top level of the file (outside any function) never gave control back. Look for a loop there.`
    );
  }
  return (
    `Expected: "${frozen.test}" to finish.\nObserved: the process was frozen for ${seconds} s ` +
    `and had to be stopped: your code never gave control back. Look for a loop that never ends ` +
    `(a while loop waiting for something that only an await could bring).`
  );
}

const CRASH = /Worker .*(exited|emitted error)|Channel closed|ERR_IPC_CHANNEL_CLOSED|process\.exit|reallyExit/i;

function crashText(file: string): string {
  return (
    `Expected: the checks of ${file} to run to their end.\nObserved: the check process ended in the middle of them. ` +
    `Your code may call process.exit() (or process.reallyExit, process.abort, process.kill of its own pid): ` +
    `a function of an application's data layer must return or throw, never end the process.`
  );
}

/** Repeated errors collapse into one line with a count. */
function collapse(texts: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, n]) => (n > 1 ? `${n} × ${text}` : text));
}

export interface ReporterOptions {
  /** Print results as they come (default true). */
  print?: boolean;
  /** How the code under check is named in the output ('exercises', 'solutions' or a folder). */
  target?: string;
  /** End with the verdict line (`npm test`). */
  verdict?: boolean;
  /** Receives the summary when the run ends. */
  onSummary?: (summary: RunSummary) => void;
  /** Where to keep each exercise's verdict for the site (tooling/learner-results.ts); none when absent. */
  results?: string;
}

export class TeachingReporter implements Reporter {
  summary: RunSummary = { results: [], passed: 0, failed: 0, ms: 0, outside: 0 };
  private started = performance.now();
  private vitest?: Vitest;

  private readonly options: Required<Omit<ReporterOptions, 'onSummary' | 'results'>> &
    Pick<ReporterOptions, 'onSummary' | 'results'>;

  /** Loaded by path: `npm test` gives `{ target, verdict: true }`, runChecks `{ print, target, onSummary }`. */
  constructor(options: ReporterOptions = {}) {
    this.options = {
      print: options.print ?? true,
      target: options.target ?? 'exercises',
      verdict: options.verdict ?? false,
      onSummary: options.onSummary,
      results: options.results,
    };
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.started = performance.now();
  }

  /** A session that re-runs (the guided runner, the attempts) starts each run with nothing reported. */
  onTestRunStart(): void {
    this.summary = { results: [], passed: 0, failed: 0, ms: 0, outside: 0 };
    this.reported.clear();
    this.crashed = false;
    this.started = performance.now();
    // A note of a check that froze in an earlier run of the session is not about this one.
    const runId = this.runId;
    if (runId) rmSync(frozenDir(runId), { recursive: true, force: true });
  }

  /** This run's id, as its global setup provided it. */
  private get runId(): string | undefined {
    return this.vitest?.projects[0]?.getProvidedContext().services?.runId;
  }

  private log(text = ''): void {
    if (this.options.print) process.stdout.write(`${text}\n`);
  }

  private reported = new Set<string>();

  onTestModuleEnd(module: TestModule): void {
    const exercise = exerciseOfModule(module.moduleId);
    if (!exercise || this.reported.has(module.moduleId)) return;
    this.reported.add(module.moduleId);
    const checks: (CheckResult & { unfinished?: boolean })[] = [];
    // Checks left out by name (a run of one check) are not results.
    for (const test of module.children.allTests())
      if (test.result().state !== 'skipped') checks.push(this.resultOf(test));
    const result: ExerciseResult = {
      exercise,
      checks,
      passed: checks.filter((c) => c.passed).length,
      failed: checks.filter((c) => !c.passed).length,
    };
    const errors = module.errors();
    const file = `${this.options.target}/${folderOf(exercise)}/${exercise.file}`;
    const frozen = readFrozen(this.runId).get(basename(module.moduleId));
    const unfinished = checks.some((c) => c.unfinished) || checks.length === 0;
    if (frozen) {
      result.fileError = frozenText(file, frozen);
    } else if (errors.some((e) => CRASH.test(e.message ?? '')) || (unfinished && this.crashed)) {
      result.fileError = crashText(file);
    } else if (errors.length > 0 || unfinished) {
      result.fileError = collapse(errors.map((e) => explain(e))).join('\n') || 'the check file could not run';
    }
    // A file that could not finish fails even if every check it ran passed.
    if (result.fileError && result.failed === 0) result.failed = 1;
    this.summary.results.push(result);
    if (this.options.results) writeLearnerResult(this.options.results, toLearnerResult(result, this.options.target));
    this.summary.passed += result.passed;
    this.summary.failed += result.failed;
    this.print(result);
  }

  private crashed = false;

  private resultOf(test: TestCase): CheckResult & { unfinished?: boolean } {
    const r = test.result();
    if (r.state === 'passed') return { name: test.name, passed: true };
    if (r.state === 'failed') return { name: test.name, passed: false, message: explain(r.errors?.[0]) };
    return {
      name: test.name,
      passed: false,
      unfinished: true,
      message: 'this check did not run (the file stopped before it)',
    };
  }

  private print(result: ExerciseResult): void {
    const { exercise } = result;
    this.log(
      `\n${bold(`${exercise.id} · ${exercise.title}`)}  ${dim(`${this.options.target}/${folderOf(exercise)}/${exercise.file}`)}`,
    );
    if (result.fileError) this.log(`  ${red('✗')} ${red('the checks could not finish')}\n${indent(result.fileError)}`);
    for (const check of result.checks) {
      if (check.passed) this.log(`  ${green('✓')} ${check.name}`);
      else this.log(`  ${red('✗')} ${check.name}\n${indent(check.message ?? '')}`);
    }
    if (result.failed > 0) {
      this.log(
        dim(
          `  Read: docs${lessonPath(exercise.lesson)}.md (npm run docs, then ${lessonPath(exercise.lesson)}) · a hint: npm run learn -- hint ${exercise.id}`,
        ),
      );
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    // A file whose process was stopped (frozen, crashed) never reports its end: report it now.
    const crashes = unhandled.filter((e) => CRASH.test(e.message ?? ''));
    const relevant = unhandled.filter((e) => !CRASH.test(e.message ?? ''));
    // A crash is told once, at the file it stopped (every result is a fresh look now that the run is over).
    this.crashed = crashes.length > 0;
    for (const module of modules) this.onTestModuleEnd(module);
    this.summary.ms = performance.now() - this.started;
    this.summary.outside = unhandled.length;
    if (crashes.length > 0 && !this.summary.results.some((r) => r.fileError)) {
      this.log(
        `\n${red('✗')} a check process ended before its checks did (process.exit or a crash in the code under check).`,
      );
    }
    if (relevant.length > 0) {
      this.log(
        `\n${red('✗')} errors outside any check (a client your code made and left open, or without an 'error' listener, fails after the checks):\n` +
          indent(collapse(relevant.map((e) => explain(e))).join('\n')),
      );
    }
    if (this.options.verdict) this.log(`\n${verdict(this.summary)}`);
    this.options.onSummary?.(this.summary);
  }
}

export default TeachingReporter;
