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

/**
 * The sidebar every page shows: start here, then each lesson followed by the exercises it leads
 * to, then the final quiz. Previous and Next follow it, so they run lesson → its exercises → the
 * next lesson, the loop the course is built on.
 */
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
      text: 'Lessons and exercises',
      items: lessons.map((l) => {
        const own = exercises.filter((e) => e.lesson === l.id);
        return {
          text: `${l.id} · ${l.title}`,
          link: lessonPath(l.id),
          ...(own.length
            ? {
                collapsed: false,
                items: own.map((e) => ({ text: `Exercise ${e.id} · ${e.title}`, link: exercisePath(e) })),
              }
            : {}),
        };
      }),
    },
    {
      text: 'Check yourself',
      items: [
        { text: 'Your progress', link: '/progress' },
        { text: 'All exercises', link: '/exercises/' },
        { text: 'Final quiz', link: '/final-quiz' },
      ],
    },
  ];
}
