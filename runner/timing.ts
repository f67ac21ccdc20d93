// Save-to-verdict time of the guided runner, for the bench: the time from writing the learner's
// file to the runner's verdict, warm (services found once, the first run not counted).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findExercise } from '../manifest.ts';
import { provideServices } from '../tooling/services.ts';
import { learnerFile, loadCourse, solutionFile } from './course.ts';
import { ExerciseWatcher, type Verdict } from './watch.ts';

export const BENCH_EXERCISE = '04';

/**
 * Sets up a temporary course holding exercise 04's reference solution, watches it the way
 * `npm run learn` does, then `runs` times rewrites the file and measures the milliseconds until
 * the verdict. Returns the samples (the first, cold run is not among them).
 */
export async function timeSaveToVerdict(options: { runs: number }): Promise<number[]> {
  const target = mkdtempSync(join(tmpdir(), 'runner-timing-'));
  const course = loadCourse({ target, only: BENCH_EXERCISE });
  const exercise = findExercise(BENCH_EXERCISE)!;
  const file = learnerFile(course, exercise);
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(solutionFile(course, exercise), file);
  const source = readFileSync(file, 'utf8');

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
  const samples: number[] = [];
  try {
    const first = nextVerdict();
    watcher.open(exercise);
    await first;
    for (let i = 0; i < options.runs; i += 1) {
      const verdict = nextVerdict();
      const started = performance.now();
      writeFileSync(file, `${source}\n// save ${i + 1}\n`);
      await verdict;
      samples.push(performance.now() - started);
    }
  } finally {
    await watcher.close();
    await services.stop();
    rmSync(target, { recursive: true, force: true });
  }
  return samples;
}
