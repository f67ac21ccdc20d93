// The attempts that judge the checks (checks/attempts/NN-slug/{wrong,right}/*.ts): every wrong
// one must fail the very check its first line names, every right one must pass them all. They
// run in one warm session (tooling/warm-checks.ts), two exercises side by side, each attempt's
// module loaded in turn into check processes that stay up.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exercises, findExercise, folderOf, type Exercise } from '../manifest.ts';
import type { ExerciseResult } from '../tooling/results.ts';
import { projectRoot, type Services } from '../tooling/services.ts';
import { WarmChecks } from '../tooling/warm-checks.ts';
import { fail, pass, stage } from './verify-stages.ts';

export const MIN_WRONG = 8;
export const MIN_RIGHT = 4;

export interface Attempt {
  exercise: Exercise;
  kind: 'wrong' | 'right';
  /** Absolute path of the module. */
  file: string;
  /** `wrong/name` or `right/name`, for messages. */
  name: string;
  /** The README sentence a wrong attempt breaks. */
  breaks?: string;
  /** The title of the check a wrong attempt must fail. */
  mustFail?: string;
  /** What is malformed about its first line, if anything. */
  malformed?: string;
}

const WRONG_LINE = /^\/\/ wrong: "(.+)" → must fail: (.+?)\s*$/;
const RIGHT_LINE = /^\/\/ right: \S.*$/;

export function attemptsFolder(exercise: Exercise): string {
  return join(projectRoot, 'checks', 'attempts', folderOf(exercise));
}

/** Every attempt in the repository, with what its first line says. */
export function findAttempts(of: readonly Exercise[] = exercises): Attempt[] {
  const found: Attempt[] = [];
  for (const exercise of of) {
    for (const kind of ['wrong', 'right'] as const) {
      const dir = join(attemptsFolder(exercise), kind);
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .sort()) {
        const file = join(dir, entry);
        const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
        const attempt: Attempt = { exercise, kind, file, name: `${kind}/${entry.replace(/\.ts$/, '')}` };
        if (kind === 'wrong') {
          const m = WRONG_LINE.exec(first);
          if (m) Object.assign(attempt, { breaks: m[1], mustFail: m[2] });
          else attempt.malformed = 'its first line must read: // wrong: "<README sentence>" → must fail: <check title>';
        } else if (!RIGHT_LINE.test(first)) {
          attempt.malformed = 'its first line must read: // right: <the style it is written in>';
        }
        found.push(attempt);
      }
    }
  }
  return found;
}

export interface AttemptVerdict {
  attempt: Attempt;
  ok: boolean;
  /** How long the run that held it took, in ms. */
  ms?: number;
  /** What went otherwise than it must, for the maintainer. */
  detail: string;
}

/** Judges one attempt by its exercise's result. */
export function judge(attempt: Attempt, result: ExerciseResult | undefined): AttemptVerdict {
  if (!result) return { attempt, ok: false, detail: 'its checks did not run' };
  if (attempt.kind === 'right') {
    const failing = result.checks.filter((c) => !c.passed);
    const ok = !result.fileError && failing.length === 0 && result.passed > 0;
    const detail = [result.fileError, ...failing.map((c) => `✗ ${c.name}\n${c.message ?? ''}`)]
      .filter(Boolean)
      .join('\n');
    return { attempt, ok, detail };
  }
  const named = result.checks.find((c) => c.name === attempt.mustFail);
  if (!named) {
    return {
      attempt,
      ok: false,
      detail: `no check of ${folderOf(attempt.exercise)} is titled "${attempt.mustFail}"`,
    };
  }
  return {
    attempt,
    ok: !named.passed,
    detail: named.passed ? `"${named.name}" passed: the check lets this mistake through` : '',
  };
}

/**
 * Runs every attempt; resolves with one verdict each (malformed ones are judged without running).
 * `lanes` sessions side by side take the next attempt as each finishes: an exercise whose checks
 * wait on timeouts (01's) holds one lane, not the others.
 */
export async function runAttempts(
  attempts: Attempt[],
  services: Pick<Services, 'postgresUrl' | 'redisUrl'>,
  lanes = 2,
): Promise<AttemptVerdict[]> {
  const verdicts: AttemptVerdict[] = [];
  const queue = attempts.filter((a) => {
    if (a.malformed) verdicts.push({ attempt: a, ok: false, detail: a.malformed });
    return !a.malformed;
  });
  const lane = async () => {
    const session = await WarmChecks.open({ print: false, services });
    try {
      for (let a = queue.shift(); a; a = queue.shift()) {
        const at = performance.now();
        // A run that stalled (its process ended after the session's deadline) is run once more, in a new process.
        const run = { exercise: a.exercise, file: a.file, ...(a.mustFail ? { only: a.mustFail } : {}) };
        let summary = await session.run(run);
        if (summary.stalled) summary = await session.run(run);
        const ms = performance.now() - at;
        if (summary.stalled) {
          verdicts.push({ attempt: a, ok: false, detail: 'its checks stalled twice (no end after 120 s)', ms });
          continue;
        }
        verdicts.push({
          ...judge(
            a,
            summary.results.find((r) => r.exercise.id === a.exercise.id),
          ),
          ms,
        });
      }
    } finally {
      await session.close();
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const order = new Map(attempts.map((a, i) => [a, i]));
  return verdicts.sort((x, y) => order.get(x.attempt)! - order.get(y.attempt)!);
}

/**
 * Starts running every attempt now and returns the stage that reports them. Most of an attempt's
 * time is spent waiting (on a timeout a check gives the code under check, on a blocking pop),
 * so verify starts them early and runs its other stages meanwhile.
 */
export function startAttempts(services: Services): () => Promise<void> {
  const started = performance.now();
  // COURSE_ATTEMPTS=04,05 judges those exercises' attempts alone (while working on their checks).
  const only = (process.env.COURSE_ATTEMPTS ?? '').split(',').filter(Boolean);
  const chosen = only.length ? exercises.filter((e) => only.some((o) => findExercise(o)?.id === e.id)) : exercises;
  const attempts = findAttempts(chosen);
  // Lanes side by side: an attempt mostly waits (on the timeouts its checks give the code), so more
  // lanes than cores pay; COURSE_ATTEMPT_LANES=2 on a machine that is busy with other work.
  const lanes = Math.max(1, Number(process.env.COURSE_ATTEMPT_LANES) || 4);
  const running = runAttempts(attempts, services, lanes).then(
    (verdicts) => ({ verdicts, seconds: (performance.now() - started) / 1000 }),
    (error: unknown) => ({ error, verdicts: [] as AttemptVerdict[], seconds: 0 }),
  );
  return async () => {
    stage('Every wrong attempt fails the check it names, every right one passes (checks/attempts/)');
    for (const exercise of chosen) {
      const mine = attempts.filter((a) => a.exercise.id === exercise.id);
      const wrong = mine.filter((a) => a.kind === 'wrong').length;
      const right = mine.filter((a) => a.kind === 'right').length;
      if (wrong >= MIN_WRONG && right >= MIN_RIGHT)
        pass(`${folderOf(exercise)}: ${wrong} wrong and ${right} right attempts`);
      else
        fail(
          `${folderOf(exercise)}: ${wrong} wrong and ${right} right attempts (at least ${MIN_WRONG} and ${MIN_RIGHT})`,
          `add them under checks/attempts/${folderOf(exercise)}/ (see CONTRIBUTING.md)`,
        );
    }
    const outcome = await running;
    if ('error' in outcome) {
      fail('the attempts ran', String((outcome.error as Error)?.stack ?? outcome.error));
      return;
    }
    for (const { attempt, ok, detail, ms } of outcome.verdicts) {
      const name = `${folderOf(attempt.exercise)} ${attempt.name}`;
      const what = `${attempt.kind === 'wrong' ? `fails "${attempt.mustFail}"` : 'passes every check'}${
        ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`
      }`;
      if (ok) pass(`${name} ${what}`);
      else fail(`${name} ${what}`, detail);
    }
    console.log(
      `  ${outcome.verdicts.length} attempts judged in ${outcome.seconds.toFixed(1)} s (run beside the other stages)`,
    );
  };
}
