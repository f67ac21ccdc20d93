// `npm run learn -- reset NN [--yes]`: puts the stub back in place of the learner's file, after
// asking, and keeps the learner's version in .course/backups/ first.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { folderOf, type Exercise } from '../../manifest.ts';
import { green } from '../../tooling/style.ts';
import { exerciseNamed, learnerFile, pristineStub, shown, type Course } from '../course.ts';
import { entryOf, updateProgress } from '../progress.ts';

export const CONFIRM_RESET = (file: string) =>
  `Reset ${file} to the stub? Your version is kept in a backup first. [y/N] `;
export const RESET_DONE = (file: string, backup: string | undefined) =>
  `${green('✓')} ${file} is the stub again.${backup ? ` Your version: ${backup}` : ' (There was no file to back up.)'}`;
export const RESET_CANCELLED = 'Nothing changed.';
export const NO_STUB = (file: string) =>
  `Could not find the original stub of ${file}: this folder is not a git clone of the course (or git is not installed). ` +
  `Download the course again and copy that one file from it.`;

/** `.course/backups/05-invalidate/update-user.2025-01-31T10-20-30.ts` */
export function backupPath(course: Course, exercise: Exercise, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  const ext = extname(exercise.file);
  const base = join(course.stateDir, 'backups', folderOf(exercise), `${basename(exercise.file, ext)}.${stamp}`);
  let path = `${base}${ext}`;
  for (let n = 2; existsSync(path); n += 1) path = `${base}.${n}${ext}`;
  return path;
}

export type ResetOutcome = { ok: true; backup?: string } | { ok: false; message: string };

/** Backs up the learner's file (when there is one), writes the stub, forgets the old result. */
export function resetExercise(course: Course, exercise: Exercise): ResetOutcome {
  const file = learnerFile(course, exercise);
  const stub = pristineStub(course, exercise);
  if (stub === undefined) return { ok: false, message: NO_STUB(shown(course, file)) };
  let backup: string | undefined;
  if (existsSync(file)) {
    backup = backupPath(course, exercise);
    mkdirSync(dirname(backup), { recursive: true });
    copyFileSync(file, backup);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stub);
  updateProgress(course, (p) => {
    p.exercises[exercise.id] = { done: false, hints: entryOf(p, exercise).hints };
  });
  return backup ? { ok: true, backup: shown(course, backup) } : { ok: true };
}

async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function reset(course: Course, selector: string | undefined, yes: boolean): Promise<void> {
  const exercise = exerciseNamed(course, selector, 'reset');
  if (!exercise) return;
  const file = shown(course, learnerFile(course, exercise));
  if (!yes && !(await askYes(CONFIRM_RESET(file)))) {
    console.log(RESET_CANCELLED);
    return;
  }
  const outcome = resetExercise(course, exercise);
  if (!outcome.ok) {
    console.error(outcome.message);
    process.exitCode = 1;
    return;
  }
  console.log(RESET_DONE(file, outcome.backup));
}
