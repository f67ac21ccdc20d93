// While `npm run docs` runs, the site reads the learner's latest verdicts (written by every run of
// the checks, see tooling/learner-results.ts): served at /__course/results.json, and announced
// to open pages the moment a run writes a new one; and their own `npm run bench` figures, for
// lesson 04's chart. A static build has no such endpoint.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { readLearnerResults } from '../../tooling/learner-results.ts';

export const RESULTS_PATH = '/__course/results.json';
export const RESULTS_EVENT = 'course:results';
export const BENCH_PATH = '/__course/bench.json';

/** `dir`: the learner's results; `bench`: their `npm run bench` figures (.course/bench.json), if any. */
export function learnerResults(dir: string, bench: string): Plugin {
  return {
    name: 'course:learner-results',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(RESULTS_PATH, (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(readLearnerResults(dir)));
      });
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
      mkdirSync(dir, { recursive: true });
      server.watcher.add(dir);
      const announce = (file: string) => {
        if (file.startsWith(dir) && file.endsWith('.json')) server.ws.send({ type: 'custom', event: RESULTS_EVENT });
      };
      for (const event of ['add', 'change', 'unlink'] as const) server.watcher.on(event, announce);
    },
  };
}
