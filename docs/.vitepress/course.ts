// The site's view of manifest.ts: where each lesson and exercise lives, and the sidebar built from
// them. The config, the exercise pages and the ExerciseList component all read this, so a new
// manifest entry shows up everywhere without touching the docs.
import type { DefaultTheme } from 'vitepress';
import { exercises, folderOf, lessonPath, lessons, type Exercise, type Lesson } from '../../manifest.ts';

/** The site path of an exercise page, e.g. `/exercises/04-cache-aside`. */
export function exercisePath(exercise: Pick<Exercise, 'id' | 'slug'>): string {
  return `/exercises/${folderOf(exercise)}`;
}

/** The lesson that teaches an exercise; the manifest guarantees it exists. */
export function lessonOf(exercise: Pick<Exercise, 'lesson'>): Lesson {
  const lesson = lessons.find((l) => l.id === exercise.lesson);
  if (!lesson) throw new Error(`manifest: exercise points at unknown lesson "${exercise.lesson}"`);
  return lesson;
}

/** One line of the exercise list, ready for a template. */
export interface ExerciseEntry {
  id: string;
  slug: string;
  title: string;
  file: string;
  link: string;
  lesson: string;
  lessonTitle: string;
  lessonLink: string;
}

export function exerciseEntries(): ExerciseEntry[] {
  return exercises.map((e) => ({
    id: e.id,
    slug: e.slug,
    title: e.title,
    file: `exercises/${folderOf(e)}/${e.file}`,
    link: exercisePath(e),
    lesson: e.lesson,
    lessonTitle: lessonOf(e).title,
    lessonLink: lessonPath(e.lesson),
  }));
}

/** The sidebar every page shows: start here, the lessons in order, the exercises, the final quiz. */
export function sidebar(): DefaultTheme.SidebarItem[] {
  return [
    {
      text: 'Start here',
      items: [
        { text: 'Setup: Postgres and Redis', link: '/setup' },
        { text: 'Working an exercise', link: '/working-an-exercise' },
      ],
    },
    {
      text: 'Lessons',
      items: lessons.map((l) => ({ text: `${l.id} · ${l.title}`, link: lessonPath(l.id) })),
    },
    {
      text: 'Exercises',
      collapsed: false,
      items: [
        { text: 'All exercises', link: '/exercises/' },
        ...exercises.map((e) => ({ text: `${e.id} · ${e.title}`, link: exercisePath(e) })),
      ],
    },
    {
      text: 'Check yourself',
      items: [{ text: 'Final quiz', link: '/final-quiz' }],
    },
  ];
}
