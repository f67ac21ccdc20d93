// The exercises as every command finds them: manifest.ts's list, and for each the files it
// needs. An exercise half added (in the manifest, but missing its stub, task, solution or
// checks) is told in one message, the same from `npm test`, the guided runner and verify.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exercises, folderOf, type Exercise } from '../manifest.ts';
import { projectRoot } from './services.ts';

/** The files an exercise needs, relative to the repository. */
export function partsOf(exercise: Exercise): string[] {
  const folder = folderOf(exercise);
  return [
    `exercises/${folder}/${exercise.file}`,
    `exercises/${folder}/README.md`,
    `solutions/${folder}/${exercise.file}`,
    `checks/${folder}.check.ts`,
  ];
}

/** What of an exercise's files is missing (none for a complete one). */
export function missingParts(exercise: Exercise, root = projectRoot): string[] {
  return partsOf(exercise).filter((path) => !existsSync(join(root, path)));
}

export const HALF_ADDED = (exercise: Exercise, missing: readonly string[]) =>
  `Exercise ${exercise.id} (${exercise.slug}) is in manifest.ts but not complete yet: ${missing.join(', ')} ` +
  `${missing.length === 1 ? 'is' : 'are'} missing. Pull the latest course, or (adding it) see CONTRIBUTING.md.`;

/** The exercises whose checks can run, and a message for each that is half added. */
export function catalog(root = projectRoot): {
  ready: Exercise[];
  halfAdded: { exercise: Exercise; message: string }[];
} {
  const ready: Exercise[] = [];
  const halfAdded: { exercise: Exercise; message: string }[] = [];
  for (const exercise of exercises) {
    const missing = missingParts(exercise, root).filter((p) => p.startsWith('checks/') || p.startsWith('solutions/'));
    if (missing.length === 0) ready.push(exercise);
    else halfAdded.push({ exercise, message: HALF_ADDED(exercise, missing) });
  }
  return { ready, halfAdded };
}
