// The course as the runner sees it: which exercises are in play, where the learner's files are,
// where the runner keeps its state, and where the pristine stubs and reference solutions live.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { findExercise, folderOf, type Exercise } from '../manifest.ts';
import { catalog } from '../tooling/catalog.ts';
import { fileURLToPath } from 'node:url';
import { EXERCISE_REQUIRED, UNKNOWN_EXERCISE } from './messages.ts';

export interface Course {
  /** The repository's root folder (ends without a slash). */
  root: string;
  /** Absolute folder holding the learner's files, laid out like exercises/. */
  target: string;
  /** What runChecks is told: 'exercises' for the default folder, else the absolute target. */
  checkTarget: string;
  /** Where progress.json and backups/ live: `.course/` of the repository, or of the target when it is elsewhere. */
  stateDir: string;
  /** The exercises in play, in course order: those with checks, narrowed by COURSE_ONLY. */
  exercises: Exercise[];
  /** One message for each exercise of the manifest that is half added (left out of `exercises`). */
  halfAdded: string[];
}

export class CourseError extends Error {
  override name = 'CourseError';
}

export const UNKNOWN_ONLY = (id: string) =>
  `COURSE_ONLY names "${id}", which is not an exercise of this course. Use numbers or slugs, comma-separated (COURSE_ONLY=04,05).`;
export const NOTHING_TO_DO =
  'No exercise has checks yet, so there is nothing to work on. Pull the latest course and try again.';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/+$/, '');

/** What the entry point read of its environment: where the learner's files are, which exercises. */
export interface CourseChoice {
  /** A folder laid out like exercises/ (as the entry point read it); the repository's exercises/ when absent. */
  target?: string;
  /** Exercises to narrow to, by number or slug, comma-separated (COURSE_ONLY). */
  only?: string;
}

/** Returns the course in play for what the entry point chose. */
export function loadCourse(choice: CourseChoice = {}): Course {
  const given = choice.target?.trim();
  const target = !given ? join(root, 'exercises') : isAbsolute(given) ? given : join(root, given);
  const isDefault = target.replace(/\/+$/, '') === join(root, 'exercises');
  const { ready, halfAdded } = catalog(root);
  let selected: Exercise[] = ready;
  const only =
    choice.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  if (only.length > 0) {
    const wanted = new Set<string>();
    for (const name of only) {
      const exercise = findExercise(name);
      if (!exercise) throw new CourseError(UNKNOWN_ONLY(name));
      wanted.add(exercise.id);
    }
    selected = selected.filter((e) => wanted.has(e.id));
  }
  if (selected.length === 0) throw new CourseError(NOTHING_TO_DO);
  return {
    root,
    target,
    checkTarget: isDefault ? 'exercises' : target,
    stateDir: isDefault ? join(root, '.course') : join(target, '.course'),
    exercises: selected,
    halfAdded: halfAdded.map((h) => h.message),
  };
}

/** The file the learner edits for `exercise`. */
export function learnerFile(course: Course, exercise: Exercise): string {
  return join(course.target, folderOf(exercise), exercise.file);
}

/** A path as a learner would type it: relative to the repository when inside it. */
export function shown(course: Course, path: string): string {
  const rel = relative(course.root, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function solutionFile(course: Course, exercise: Exercise): string {
  return join(course.root, 'solutions', folderOf(exercise), exercise.file);
}

/** The task text: README.md beside the learner's file, else the repository's copy. */
export function taskText(course: Course, exercise: Exercise): string | undefined {
  for (const dir of [join(course.target, folderOf(exercise)), join(course.root, 'exercises', folderOf(exercise))]) {
    const readme = join(dir, 'README.md');
    if (existsSync(readme)) return readFileSync(readme, 'utf8');
  }
  return undefined;
}

/** Where the task text lives, for a pointer line. */
export function taskPath(course: Course, exercise: Exercise): string {
  const beside = join(course.target, folderOf(exercise), 'README.md');
  return shown(course, existsSync(beside) ? beside : join(course.root, 'exercises', folderOf(exercise), 'README.md'));
}

/**
 * The untouched stub of an exercise, as the course shipped it. From git first (the upstream
 * branch when there is one, so a learner who committed their own work still gets the stub back),
 * else the repository's exercises/ folder when the learner works in a folder of their own.
 */
export function pristineStub(course: Course, exercise: Exercise): string | undefined {
  const key = `${course.target}\0${exercise.id}`;
  if (!stubs.has(key)) stubs.set(key, findStub(course, exercise));
  return stubs.get(key);
}

const stubs = new Map<string, string | undefined>();

function findStub(course: Course, exercise: Exercise): string | undefined {
  const path = `exercises/${folderOf(exercise)}/${exercise.file}`;
  for (const ref of ['@{upstream}', 'origin/HEAD', 'HEAD']) {
    try {
      return execFileSync('git', ['show', `${ref}:${path}`], {
        cwd: course.root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      });
    } catch {
      // Not a git checkout, no such ref, or the file is not committed there: try the next source.
    }
  }
  const copy = join(course.root, path);
  if (course.checkTarget !== 'exercises' && existsSync(copy)) return readFileSync(copy, 'utf8');
  return undefined;
}

/** An exercise of the course in play, by number ("5", "05") or slug. */
export function findInCourse(course: Course, selector: string): Exercise | undefined {
  const exercise = findExercise(selector);
  return exercise && course.exercises.find((e) => e.id === exercise.id);
}

/**
 * The exercise a plain command (`hint NN`, `reset NN`, `solution NN`) names; when there is none,
 * or no such exercise, says so, sets the exit code and returns undefined.
 */
export function exerciseNamed(course: Course, selector: string | undefined, command: string): Exercise | undefined {
  if (selector === undefined) {
    console.error(EXERCISE_REQUIRED(command));
    process.exitCode = 1;
    return undefined;
  }
  const exercise = findInCourse(course, selector);
  if (!exercise) {
    console.error(UNKNOWN_EXERCISE(selector, course.exercises));
    process.exitCode = 1;
  }
  return exercise;
}
