// Save-to-verdict time of the guided runner, for the bench: the time from writing the learner's
// file to the runner's verdict, in the runner's warm session (the first, cold check not counted),
// saving alternately a failing file (the stub) and a passing one (the solution), as a learner
// going back and forth would. A long session also reports the memory and the connections it holds.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { findExercise } from '../manifest.ts';
import { provideServices } from '../tooling/services.ts';
import { warmProcessRss } from '../tooling/warm-pool.ts';
import { learnerFile, loadCourse, pristineStub, solutionFile } from './course.ts';
import { ExerciseWatcher, type Verdict } from './watch.ts';

export const BENCH_EXERCISE = '04';

export interface SessionFigures {
  /** Save → verdict, ms, one per save (the opening check not counted). */
  samples: number[];
  /** Whether each verdict was the one expected (passed for the solution, failed for the stub). */
  right: number;
  /** Memory of the runner's process and of its check process, MB, after the first few saves and at the end. */
  rss: { early: number; late: number; checkEarly: number; checkLate: number };
  /** Connections the servers hold for the session, after the first few saves and at the end. */
  connections: { early: number; late: number };
}

/** Connections the servers hold now for course runs: in the runs' databases or as their roles, and their Redis users and named clients. */
async function connectionCount(postgresUrl: string, redisUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE 'course\\_check\\_%' OR usename LIKE 'course\\_check\\_%'",
    );
    const clients = String(await redis.sendCommand(['CLIENT', 'LIST']))
      .split('\n')
      .filter((line) => /\b(user=course-check-|name=course-run-)/.test(line)).length;
    return (rows[0]?.n ?? 0) + clients;
  } finally {
    await admin.end();
    redis.destroy();
  }
}

/**
 * Sets up a temporary course for exercise 04, watches it the way `npm run learn` does, then
 * `saves` times writes the stub or the solution (alternately) and measures until the verdict.
 */
export async function timeSaveToVerdict(options: { saves: number }): Promise<SessionFigures> {
  const target = mkdtempSync(join(tmpdir(), 'runner-timing-'));
  const course = loadCourse({ target, only: BENCH_EXERCISE });
  const exercise = findExercise(BENCH_EXERCISE)!;
  const file = learnerFile(course, exercise);
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(solutionFile(course, exercise), file);
  const solution = readFileSync(solutionFile(course, exercise), 'utf8');
  const versions = [pristineStub(course, exercise) ?? '', solution];

  const services = await provideServices();
  let waiting: ((verdict: Verdict) => void) | undefined;
  const watcher = new ExerciseWatcher({
    course,
    services,
    print: false,
    onVerdict: (verdict) => {
      const resolve = waiting;
      waiting = undefined;
      resolve?.(verdict);
    },
  });
  const nextVerdict = () => new Promise<Verdict>((resolve) => (waiting = resolve));
  const figures: SessionFigures = {
    samples: [],
    right: 0,
    rss: { early: 0, late: 0, checkEarly: 0, checkLate: 0 },
    connections: { early: 0, late: 0 },
  };
  const mb = (bytes: number) => bytes / 1024 / 1024;
  try {
    const first = nextVerdict();
    watcher.open(exercise);
    await first;
    for (let i = 0; i < options.saves; i += 1) {
      const passing = i % 2 === 1;
      const verdict = nextVerdict();
      const started = performance.now();
      // A comment with the save's number: every save changes the file, as an edit does.
      writeFileSync(file, `${versions[passing ? 1 : 0]}\n// save ${i + 1}\n`);
      const got = await verdict;
      figures.samples.push(performance.now() - started);
      if (got.passed === passing) figures.right += 1;
      if (i === Math.min(9, options.saves - 1) || i === options.saves - 1) {
        const at = i === options.saves - 1 ? 'late' : 'early';
        global.gc?.();
        figures.rss[at] = mb(process.memoryUsage().rss);
        figures.rss[at === 'late' ? 'checkLate' : 'checkEarly'] = mb(warmProcessRss());
        figures.connections[at] = await connectionCount(services.postgresUrl, services.redisUrl);
      }
    }
  } finally {
    await watcher.close();
    await services.stop();
    rmSync(target, { recursive: true, force: true });
  }
  return figures;
}
