// Messages more than one command prints.
import { exercises as allExercises } from '../manifest.ts';
import type { Exercise } from '../manifest.ts';

export const UNKNOWN_EXERCISE = (name: string, inPlay: readonly Exercise[]) =>
  `No exercise "${name}" in this course. Name one by number or slug:\n${inPlay.map((e) => `  ${e.id}  ${e.slug}`).join('\n')}`;

export const EXERCISE_REQUIRED = (command: string) =>
  `Say which exercise, by number or slug: npm run learn -- ${command} 04`;

export const NOT_YET_IN_COURSE = (id: string) => {
  const exercise = allExercises.find((e) => e.id === id);
  return exercise
    ? `Exercise ${exercise.id} (${exercise.slug}) has no checks yet, so it is not part of the course yet.`
    : undefined;
};

export const ALL_DONE = (total: number) =>
  `${total === 1 ? 'The exercise passes' : `All ${total} exercises pass`}. Well done! Compare with the reference solutions (npm run learn -- solution NN), take the final quiz (npm run docs), or read the lessons again.`;
