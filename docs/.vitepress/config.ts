import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';
import { sidebar } from './course.ts';
import { consolePlugin } from './console-plugin.ts';
import { learnerResults } from './learner-results-plugin.ts';
import { searchOptions } from './search.ts';
import { snippetCheck } from './snippet-check.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// The learner's verdicts, where `npm test` keeps them for the repository's exercises/ (COURSE_RESULTS_DIR moves both).
const resultsDir = process.env.COURSE_RESULTS_DIR?.trim() || join(repoRoot, '.course', 'results');

export default defineConfig({
  title: 'Postgres & Redis in TypeScript',
  description:
    'A hands-on course: Postgres as the filing cabinet, Redis as the sticky note on the monitor, from TypeScript with pg and node-redis.',
  lang: 'en-US',
  cleanUrls: true,
  lastUpdated: false,
  // Dead links fail the build (VitePress's default; kept on purpose).
  ignoreDeadLinks: false,
  head: [
    ['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    // Without JavaScript, the banner on top of every page (NoScriptBanner) says what needs it.
    ['noscript', {}, '<style>.no-script-banner { display: block !important; }</style>'],
  ],
  // A lesson's reading time, for its opening (LessonIntro): its prose, at 200 words a minute.
  transformPageData(pageData) {
    if (!pageData.relativePath.startsWith('lessons/')) return;
    const source = readFileSync(join(repoRoot, 'docs', pageData.relativePath), 'utf8');
    const prose = source
      .replace(/^---[\s\S]*?---/, '')
      .replace(/```[\s\S]*?```/g, '')
      .replace(/<[^>]+>/g, '');
    const words = prose.split(/\s+/).filter((w) => /\w/.test(w)).length;
    pageData.frontmatter.readingMinutes = Math.max(1, Math.round(words / 200));
  },
  // The learner's `npm run bench` figures sit in the same .course folder as the results.
  vite: {
    plugins: [learnerResults(resultsDir, join(dirname(resultsDir), 'bench.json'), repoRoot), consolePlugin()],
    // The console and the learner's results are for this machine's own browser: nothing listens beyond it.
    server: { host: '127.0.0.1' },
  },
  markdown: {
    config: (md) => snippetCheck(md, repoRoot),
  },
  themeConfig: {
    logo: '/favicon.svg',
    nav: [
      { text: 'Setup', link: '/setup' },
      { text: 'Lessons', link: '/lessons/01-filing-cabinet' },
      { text: 'Exercises', link: '/exercises/' },
      { text: 'Final quiz', link: '/final-quiz' },
    ],
    sidebar: sidebar(),
    outline: { level: [2, 3] },
    search: { provider: 'local', options: searchOptions },
    docFooter: { prev: 'Previous', next: 'Next' },
  },
});
