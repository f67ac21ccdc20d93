// One page per exercise, from manifest.ts and the exercise's own task text
// (`exercises/<NN-slug>/README.md`), so nothing about an exercise is written twice.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exercises, folderOf, lessonPath, type Exercise } from '../../manifest.ts';
import { lessonOf } from '../.vitepress/course.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ExerciseParams {
  exercise: string;
  id: string;
  slug: string;
  title: string;
}

/** The task text, with its own top heading dropped (the page has one) and headings moved a level down. */
function taskText(readme: string): string {
  return readme
    .replace(/\r\n/g, '\n')
    .replace(/^\s*#\s[^\n]*\n/, '')
    .replace(/^(#{2,5})\s/gm, '#$1 ')
    .trim();
}

/** The exercise's page, as markdown (the site renders it; the search index reads it too). */
export function exercisePage(exercise: Exercise, readme: string): string {
  const folder = folderOf(exercise);
  const lesson = lessonOf(exercise);
  const hints = exercise.hints.map((h, i) => `${i + 1}. ${h}`).join('\n');
  return `# ${exercise.id} · ${exercise.title}

- **File to edit:** \`exercises/${folder}/${exercise.file}\`
- **Exports:** ${exercise.exports.map((name) => `\`${name}\``).join(', ')}
- **Taught in:** [${lesson.id} · ${lesson.title}](${lessonPath(lesson.id)})
- **Checks:** \`npm test ${exercise.id}\` or \`npm test ${exercise.slug}\`

<ExerciseVerdict id="${exercise.id}" />

## The task

${taskText(readme)}

## Run the checks

Open \`exercises/${folder}/${exercise.file}\`, fill in every \`// TODO:\`, then run this exercise's checks
against your code and a real Postgres and Redis:

\`\`\`sh
npm test ${exercise.id}                  # or: npm test ${exercise.slug}
\`\`\`

Or let the guided runner watch the file and re-run the checks each time you save:

\`\`\`sh
npm run learn                # h hint, n next, l list, r reset, q quit
npm run learn -- hint ${exercise.id}     # the next hint, from the terminal
\`\`\`

A failing check says what it expected, what it observed, and where to read. See
[Working an exercise](/working-an-exercise) for the whole loop, and [Setup](/setup) if the checks
cannot reach Postgres or Redis.

## Hints

::: details Stuck? ${exercise.hints.length} hints, mildest first
${hints}
:::

## The reference solution

<SolutionReveal id="${exercise.id}" />

Back to the lesson: [${lesson.id} · ${lesson.title}](${lessonPath(lesson.id)}).
`;
}

export default {
  paths() {
    const missing: string[] = [];
    const routes = exercises.map((exercise) => {
      const readmePath = `${repoRoot}exercises/${folderOf(exercise)}/README.md`;
      const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
      if (readme === undefined) missing.push(`exercises/${folderOf(exercise)}/README.md`);
      const params: ExerciseParams = {
        exercise: folderOf(exercise),
        id: exercise.id,
        slug: exercise.slug,
        title: exercise.title,
      };
      return { params, content: exercisePage(exercise, readme ?? '') };
    });
    if (missing.length > 0) {
      throw new Error(
        `Exercise pages need each exercise's task text; missing:\n  ${missing.join('\n  ')}\n` +
          'Write it (a short README.md in the exercise folder), then build again.',
      );
    }
    return routes;
  },
};
