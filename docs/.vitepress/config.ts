import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';
import { sidebar } from './course.ts';
import { searchOptions } from './search.ts';
import { snippetCheck } from './snippet-check.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  title: 'Postgres & Redis in TypeScript',
  description:
    'A hands-on course: Postgres as the filing cabinet, Redis as the sticky note on the monitor, from TypeScript with pg and node-redis.',
  lang: 'en-US',
  cleanUrls: true,
  lastUpdated: false,
  // Dead links fail the build (VitePress's default; kept on purpose).
  ignoreDeadLinks: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
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
