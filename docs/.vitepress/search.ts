// What the local search indexes beyond the pages' own text. VitePress does not index pages made
// by dynamic routes (the exercise pages), nor what a component renders in the browser (the
// quizzes): the exercise pages are indexed from the same markdown they are built from, and each
// lesson's quiz questions and explanations are indexed with the lesson.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DefaultTheme } from 'vitepress';
import { exercises, folderOf, lessons } from '../../manifest.ts';
import { loadQuizBank } from '../../quiz/load.ts';
import { exercisePage } from '../exercises/[exercise].paths.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

type Section = { anchor?: string; titles: string[]; text: string };

/** Markdown to the words a reader searches for: no markup, links as their text. */
function plain(markdown: string): string {
  return markdown
    .replace(/^:::.*$/gm, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[`*_>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** VitePress's heading anchors: lower case, words joined by dashes. */
function anchorOf(heading: string): string {
  return plain(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

/** An exercise page's sections, from the markdown its dynamic route renders. */
function exerciseSections(file: string): Section[] | undefined {
  const folder = /exercises\/(\d\d-[a-z0-9-]+)\.md$/.exec(file)?.[1];
  const exercise = exercises.find((e) => folderOf(e) === folder);
  if (!exercise) return undefined;
  const readmePath = `${repoRoot}exercises/${folderOf(exercise)}/README.md`;
  const page = exercisePage(exercise, existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '');
  const [head = '', ...rest] = page.split(/^## /m);
  const title = plain(head.split('\n')[0]!.replace(/^# /, ''));
  return [
    { titles: [title], text: plain(head.split('\n').slice(1).join('\n')) },
    ...rest.map((part) => {
      const [heading = '', ...body] = part.split('\n');
      return { anchor: anchorOf(heading), titles: [title, plain(heading)], text: plain(body.join('\n')) };
    }),
  ];
}

/** A lesson's quiz, as markdown appended to the lesson for the index only. */
function quizMarkdown(relativePath: string): string {
  const lesson = lessons.find((l) => relativePath === `lessons/${l.id}-${l.slug}.md`);
  const quiz = lesson && loadQuizBank().lessons.find((q) => q.lesson === lesson.id);
  if (!quiz) return '';
  const questions = quiz.questions.map((q) => `${q.prompt}\n\n${q.explanation}`).join('\n\n');
  return `\n\n## Quiz: ${lesson.title}\n\n${questions}\n`;
}

export const searchOptions: DefaultTheme.LocalSearchOptions = {
  _render(src, env, md) {
    const html = md.render(src + quizMarkdown(env.relativePath), env);
    return env.frontmatter?.search === false ? '' : html;
  },
  miniSearch: {
    // Returning undefined keeps VitePress's own splitting for every page that has a file.
    _splitIntoSections: (file: string) => exerciseSections(file) as Section[],
  },
};
