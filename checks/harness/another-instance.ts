// A second copy of the code under check, as a second server (or the same one after a restart)
// would run it: the same file evaluated again, as a module of its own, sharing none of the first
// copy's module-level variables. What the code keeps in its process (a Map of lifetimes, a memo,
// "who was refused until when") then shows as a difference between the two copies, while what it
// keeps in the servers is the same for both.
import { pathToFileURL } from 'node:url';
import { exerciseFile, IMPORT_UNDER_CHECK, type Course } from './course.ts';

let copies = 0;

/** Evaluates the code under check once more and returns that copy's exports. */
export async function loadAnotherInstance<T>(course: Course): Promise<T> {
  copies += 1;
  // A query makes another module of the same file for Vitest's runner (and for Node's loader).
  const url = `${pathToFileURL(exerciseFile(course.exercise)).href}?instance=${copies}`;
  const viaRunner = (globalThis as { [IMPORT_UNDER_CHECK]?: (url: string) => Promise<unknown> })[IMPORT_UNDER_CHECK];
  return (await (viaRunner ? viaRunner(url) : import(url))) as T;
}
