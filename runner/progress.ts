// The learner's progress, kept in one git-ignored file (.course/progress.json): per exercise,
// whether it is done, how many hints were revealed, and the hash of the learner's file when it
// last passed (and when it was last checked). When in doubt (no file, a corrupt one, or a learner
// file that changed since it was checked) the status is rebuilt by running the checks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../manifest.ts';
import { check } from './run-checks.ts';
import type { ExerciseResult } from '../tooling/results.ts';
import type { Services } from '../tooling/services.ts';
import { learnerFile, pristineStub, type Course } from './course.ts';

export interface ExerciseProgress {
  /** The checks passed against the file whose hash is `passedHash`. */
  done: boolean;
  /** How many of the manifest's hints were revealed, mildest first. */
  hints: number;
  /** sha256 of the learner's file when the checks last passed. */
  passedHash?: string;
  /** sha256 of the learner's file when the checks last ran (pass or fail). */
  checkedHash?: string;
}

export interface Progress {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
}

/** What the runner knows of an exercise right now. */
export type Status =
  | 'done' // the checks pass against the file as it is
  | 'to do' // the untouched stub (every stub fails its checks)
  | 'failing' // edited, and the checks failed against it
  | 'missing' // the learner's file is not there (reset brings it back)
  | 'unchecked'; // edited since the last check, and no services to check it now

export function progressFile(course: Course): string {
  return join(course.stateDir, 'progress.json');
}

function empty(): Progress {
  return { version: 1, exercises: {} };
}

/** Reads progress.json; a missing or corrupt file reads as empty (so every status is in doubt). */
export function readProgress(course: Course): { progress: Progress; trusted: boolean } {
  const file = progressFile(course);
  if (!existsSync(file)) return { progress: empty(), trusted: false };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    if (data.version !== 1 || typeof data.exercises !== 'object' || data.exercises === null)
      throw new Error('bad shape');
    const exercises: Record<string, ExerciseProgress> = {};
    for (const [id, entry] of Object.entries(data.exercises)) {
      if (typeof entry !== 'object' || entry === null) continue;
      exercises[id] = {
        done: entry.done === true,
        hints: Number.isInteger(entry.hints) && entry.hints > 0 ? entry.hints : 0,
        ...(typeof entry.passedHash === 'string' ? { passedHash: entry.passedHash } : {}),
        ...(typeof entry.checkedHash === 'string' ? { checkedHash: entry.checkedHash } : {}),
      };
    }
    return { progress: { version: 1, exercises }, trusted: true };
  } catch {
    return { progress: empty(), trusted: false };
  }
}

export function writeProgress(course: Course, progress: Progress): void {
  const file = progressFile(course);
  mkdirSync(course.stateDir, { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temp, file);
}

/** Read, change, write: other runner commands may write the file between two of our changes. */
export function updateProgress(course: Course, change: (progress: Progress) => void): Progress {
  const { progress } = readProgress(course);
  change(progress);
  writeProgress(course, progress);
  return progress;
}

export function entryOf(progress: Progress, exercise: Exercise): ExerciseProgress {
  return progress.exercises[exercise.id] ?? { done: false, hints: 0 };
}

export function hashText(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hashOf(path: string): string | undefined {
  try {
    return hashText(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** The status the record and the file on disk allow, or 'unchecked' when only a run can tell. */
export function knownStatus(course: Course, progress: Progress, exercise: Exercise): Status {
  const hash = hashOf(learnerFile(course, exercise));
  if (hash === undefined) return 'missing';
  const entry = entryOf(progress, exercise);
  if (entry.done && entry.passedHash === hash) return 'done';
  if (entry.checkedHash === hash) return entry.done ? 'done' : 'failing';
  const stub = pristineStub(course, exercise);
  if (stub !== undefined && hashText(stub) === hash) return 'to do';
  return 'unchecked';
}

/** Records the outcome of a run of `exercise` against the file whose hash was `hash`. */
export function recordRun(course: Course, exercise: Exercise, hash: string | undefined, passed: boolean): void {
  updateProgress(course, (progress) => {
    const entry = entryOf(progress, exercise);
    const next: ExerciseProgress = { done: passed, hints: entry.hints };
    if (hash !== undefined) next.checkedHash = hash;
    if (passed && hash !== undefined) next.passedHash = hash;
    else if (entry.passedHash && !passed) delete next.passedHash;
    progress.exercises[exercise.id] = next;
  });
}

export function passedAll(result: ExerciseResult | undefined): boolean {
  return result !== undefined && result.failed === 0 && result.passed > 0 && !result.fileError;
}

/**
 * Every exercise's status; the ones in doubt are settled by running their checks (quietly, in
 * one run) when services are given. Returns the statuses in course order.
 */
export async function statuses(
  course: Course,
  services?: Pick<Services, 'postgresUrl' | 'redisUrl'>,
): Promise<Map<string, Status>> {
  const { progress } = readProgress(course);
  const result = new Map<string, Status>();
  const doubtful: Exercise[] = [];
  for (const exercise of course.exercises) {
    const status = knownStatus(course, progress, exercise);
    result.set(exercise.id, status);
    if (status === 'unchecked') doubtful.push(exercise);
  }
  if (doubtful.length > 0 && services) {
    const hashes = new Map(doubtful.map((e) => [e.id, hashOf(learnerFile(course, e))]));
    const summary = await check({
      exercises: doubtful,
      target: course.checkTarget,
      results: join(course.stateDir, 'results'),
      print: false,
      services,
    });
    for (const exercise of doubtful) {
      const passed = passedAll(summary.results.find((r) => r.exercise.id === exercise.id));
      recordRun(course, exercise, hashes.get(exercise.id), passed);
      result.set(exercise.id, passed ? 'done' : 'failing');
    }
  }
  return result;
}

/** Whether any status can only be known by running checks. */
export function inDoubt(course: Course): Exercise[] {
  const { progress } = readProgress(course);
  return course.exercises.filter((e) => knownStatus(course, progress, e) === 'unchecked');
}

/** Statuses from the record and the files alone, without running anything. */
export function knownStatuses(course: Course): Map<string, Status> {
  const { progress } = readProgress(course);
  return new Map(course.exercises.map((e) => [e.id, knownStatus(course, progress, e)]));
}
