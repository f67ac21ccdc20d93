// While `npm run docs` runs, the site reads the learner's latest verdicts (written by every run of
// the checks, see tooling/learner-results.ts): served at /__course/results.json, and announced
// to open pages the moment a run writes a new one; their own `npm run bench` figures, for
// lesson 04's chart; and an exercise's reference solution, once their own checks of it pass (or
// when they ask for it anyway). A static build has none of these endpoints, and no solution code.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { createMarkdownRenderer, type MarkdownRenderer } from 'vitepress';
import { exercises, folderOf } from '../../manifest.ts';
import { readLearnerResults } from '../../tooling/learner-results.ts';

export const RESULTS_PATH = '/__course/results.json';
export const RESULTS_EVENT = 'course:results';
export const BENCH_PATH = '/__course/bench.json';
/** `/__course/solution/04`: the reference solution of 04 once it passes; `?anyway=1` before. */
export const SOLUTION_PATH = '/__course/solution';

/** What the solution endpoint answers. */
export type SolutionReply =
  | { status: 'locked' }
  | { status: 'open'; passed: boolean; file: string; html: string }
  | { status: 'missing'; file: string };

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** `dir`: the learner's results; `bench`: their `npm run bench` figures; `root`: the course's folder. */
export function learnerResults(dir: string, bench: string, root: string): Plugin {
  let renderer: Promise<MarkdownRenderer> | undefined;
  return {
    name: 'course:learner-results',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(RESULTS_PATH, (_req, res) => sendJson(res, readLearnerResults(dir)));
      server.middlewares.use(BENCH_PATH, (_req, res) => {
        if (!existsSync(bench)) {
          res.statusCode = 204;
          res.end();
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        res.end(readFileSync(bench));
      });
      server.middlewares.use(SOLUTION_PATH, (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const exercise = exercises.find((e) => e.id === url.pathname.replace(/^\//, ''));
        if (!exercise) return sendJson(res, { error: 'no such exercise' }, 404);
        const passed = readLearnerResults(dir)[exercise.id]?.status === 'passed';
        if (!passed && url.searchParams.get('anyway') !== '1') return sendJson(res, { status: 'locked' });
        const file = `solutions/${folderOf(exercise)}/${exercise.file}`;
        if (!existsSync(join(root, file))) return sendJson(res, { status: 'missing', file });
        renderer ??= createMarkdownRenderer(join(root, 'docs'));
        void renderer.then(
          (md) => {
            const source = readFileSync(join(root, file), 'utf8');
            const html = md.render(`\`\`\`ts\n${source}\n\`\`\`\n`);
            sendJson(res, { status: 'open', passed, file, html } satisfies SolutionReply);
          },
          (error: Error) => sendJson(res, { error: error.message }, 500),
        );
      });
      mkdirSync(dir, { recursive: true });
      server.watcher.add(dir);
      const announce = (file: string) => {
        if (file.startsWith(dir) && file.endsWith('.json')) server.ws.send({ type: 'custom', event: RESULTS_EVENT });
      };
      for (const event of ['add', 'change', 'unlink'] as const) server.watcher.on(event, announce);
    },
  };
}
