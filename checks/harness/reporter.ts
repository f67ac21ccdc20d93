// Prints check results the way a learner needs them: the check's name, what was expected and
// what was observed, the line of their file that threw, and the lesson to read. No harness
// stack traces (set COURSE_VERBOSE=1 to see them).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import { exercises, folderOf, lessonPath, type Exercise } from '../../manifest';
import { FROZEN_DIR } from './names';

export interface CheckResult {
  name: string;
  passed: boolean;
  message?: string;
}

export interface ExerciseResult {
  exercise: Exercise;
  checks: CheckResult[];
  passed: number;
  failed: number;
  /** Set when the file could not run at all (import failed, process frozen or crashed). */
  fileError?: string;
}

export interface RunSummary {
  results: ExerciseResult[];
  passed: number;
  failed: number;
  ms: number;
}

const paint = (code: number) => (text: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[${code}m${text}\x1b[0m` : text);
export const green = paint(32);
export const red = paint(31);
export const dim = paint(2);
export const bold = paint(1);

export function exerciseOfModule(moduleId: string): Exercise | undefined {
  const name = basename(moduleId).replace(/\.check\.ts$/, '');
  return exercises.find((e) => folderOf(e) === name);
}

function indent(text: string, by = '      '): string {
  return text.split('\n').map((line) => `${by}${line}`).join('\n');
}

/** Turns whatever a check threw into the text a learner reads. */
export function explain(error: Pick<SerializedError, 'message' | 'name' | 'stack'> | undefined): string {
  if (!error) return 'the check failed without a message';
  if (error.name === 'CheckFailure') return error.message;
  const where = /((?:exercises|solutions)\/\d\d-[a-z-]+\/[\w.-]+\.ts):(\d+)/.exec(error.stack ?? '');
  // A compiler's message arrives painted character by character: the reporter does its own colour.
  const message = error.message.replace(/\x1b\[[0-9;]*m/g, '');
  const head = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${message}`;
  const text = where ? `${head}\n(at ${where[1]}:${where[2]})` : head;
  return process.env.COURSE_VERBOSE ? `${text}\n${error.stack ?? ''}` : text;
}

function readFrozen(): Map<string, { test: string; frozenFor: number }> {
  const found = new Map<string, { test: string; frozenFor: number }>();
  if (!existsSync(FROZEN_DIR)) return found;
  for (const f of readdirSync(FROZEN_DIR)) {
    try {
      const data = JSON.parse(readFileSync(join(FROZEN_DIR, f), 'utf8')) as { file: string; test: string; frozenFor: number };
      found.set(basename(data.file), data);
    } catch {
      // A half-written file: nothing to report from it.
    }
  }
  return found;
}

export function clearFrozen(): void {
  rmSync(FROZEN_DIR, { recursive: true, force: true });
}

export class TeachingReporter implements Reporter {
  readonly summary: RunSummary = { results: [], passed: 0, failed: 0, ms: 0 };
  private started = performance.now();

  private readonly options: { print: boolean; target: string; verdict: boolean };

  /**
   * Without options (Vitest loading it by path), it reads COURSE_TARGET, and ends with the
   * verdict line when `npm test` runs it (COURSE_COMMAND=test).
   */
  constructor(options?: { print?: boolean; target?: string; verdict?: boolean }) {
    this.options = {
      print: options?.print ?? true,
      target: options?.target ?? (process.env.COURSE_TARGET || 'exercises'),
      verdict: options?.verdict ?? process.env.COURSE_COMMAND === 'test',
    };
  }

  onInit(): void {
    this.started = performance.now();
  }

  private log(text = ''): void {
    if (this.options.print) process.stdout.write(`${text}\n`);
  }

  private reported = new Set<string>();

  onTestModuleEnd(module: TestModule): void {
    const exercise = exerciseOfModule(module.moduleId);
    if (!exercise || this.reported.has(module.moduleId)) return;
    this.reported.add(module.moduleId);
    const checks: CheckResult[] = [];
    for (const test of module.children.allTests()) checks.push(this.resultOf(test));
    const result: ExerciseResult = {
      exercise,
      checks,
      passed: checks.filter((c) => c.passed).length,
      failed: checks.filter((c) => !c.passed).length,
    };
    const errors = module.errors();
    const frozen = readFrozen().get(basename(module.moduleId));
    if (frozen) {
      result.fileError =
        `Expected: "${frozen.test}" to finish.\nObserved: the process was frozen for ${(frozen.frozenFor / 1000).toFixed(1)} s ` +
        `and had to be stopped: your code never gave control back. Look for a loop that never ends ` +
        `(a while loop waiting for something that only an await could bring).`;
    } else if (errors.length > 0 || (checks.length === 0 && module.state() === 'failed')) {
      result.fileError = errors.map((e) => explain(e)).join('\n') || 'the check file could not run';
    }
    if (result.fileError && result.failed === 0) result.failed = 1;
    this.summary.results.push(result);
    this.summary.passed += result.passed;
    this.summary.failed += result.failed;
    this.print(result);
  }

  private resultOf(test: TestCase): CheckResult {
    const r = test.result();
    if (r.state === 'passed') return { name: test.name, passed: true };
    if (r.state === 'failed') return { name: test.name, passed: false, message: explain(r.errors?.[0]) };
    return { name: test.name, passed: false, message: 'this check did not run (an earlier failure stopped the file)' };
  }

  private print(result: ExerciseResult): void {
    const { exercise } = result;
    this.log(`\n${bold(`${exercise.id} · ${exercise.title}`)}  ${dim(`${this.options.target}/${folderOf(exercise)}/${exercise.file}`)}`);
    if (result.fileError) this.log(`  ${red('✗')} ${red('the checks could not finish')}\n${indent(result.fileError)}`);
    for (const check of result.checks) {
      if (check.passed) this.log(`  ${green('✓')} ${check.name}`);
      else this.log(`  ${red('✗')} ${check.name}\n${indent(check.message ?? '')}`);
    }
    if (result.failed > 0) {
      this.log(dim(`  Read: docs${lessonPath(exercise.lesson)}.md (npm run docs, then ${lessonPath(exercise.lesson)}) · a hint: npm run learn -- hint ${exercise.id}`));
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    // A file whose process was stopped (frozen) never reports its end: report it now.
    for (const module of modules) this.onTestModuleEnd(module);
    this.summary.ms = performance.now() - this.started;
    const frozen = this.summary.results.some((r) => r.fileError?.includes('frozen'));
    const relevant = unhandled.filter((e) => !(frozen && /Worker .*(exited|emitted error)|Channel closed|ERR_IPC_CHANNEL_CLOSED/.test(e.message ?? '')));
    if (relevant.length > 0) {
      this.summary.failed += relevant.length;
      this.log(`\n${red('✗')} errors outside any check:\n${indent(relevant.map((e) => explain(e)).join('\n'))}`);
    }
    if (this.options.verdict) this.log(`\n${verdict(this.summary)}`);
  }
}

/** The last line of `npm test`: one exercise's verdict and what comes next, or the totals. */
export function verdict(summary: RunSummary): string {
  if (summary.results.length !== 1) return `${summary.passed} passed, ${summary.failed} failed`;
  const { exercise, passed, failed } = summary.results[0]!;
  const name = bold(`${exercise.id} ${exercise.slug}`);
  if (failed > 0 || summary.failed > 0) return `${red('✗')} ${name}: ${passed} of ${passed + failed} checks pass.`;
  const next = exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
  return `${green('✓')} ${name}: all ${passed} checks pass.` +
    (next ? ` Next: npm test ${next.id} (exercises/${folderOf(next)}/${next.file}).` : ' That was the last exercise.');
}

export default TeachingReporter;
