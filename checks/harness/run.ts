// Runs the hidden checks of some exercises, in this process, against the learner's code
// (exercises/) or the reference solutions, and returns what passed. The test command, verify,
// the bench and the guided runner all come through here.
import { startVitest } from 'vitest/node';
import { exercises as allExercises, folderOf, type Exercise } from '../../manifest';
import { clearFrozen, TeachingReporter, type RunSummary } from './reporter';
import { projectRoot } from './services';

export interface RunOptions {
  /** Which exercises; all of them when omitted. */
  exercises?: readonly Exercise[];
  /** 'exercises' (default), 'solutions', or an absolute folder laid out the same way. */
  target?: string;
  /** Print results as they come (default true). */
  print?: boolean;
  /** Service URLs already found (skips looking for them again in the global setup). */
  services?: { postgresUrl: string; redisUrl: string };
}

export function checkFileOf(exercise: Exercise): string {
  return `checks/${folderOf(exercise)}.check.ts`;
}

export async function runChecks(options: RunOptions = {}): Promise<RunSummary> {
  const selected = options.exercises ?? allExercises;
  const target = options.target ?? 'exercises';
  const saved = { target: process.env.COURSE_TARGET, db: process.env.DATABASE_URL, redis: process.env.REDIS_URL };
  process.env.COURSE_TARGET = target;
  if (options.services) {
    process.env.DATABASE_URL = options.services.postgresUrl;
    process.env.REDIS_URL = options.services.redisUrl;
  }
  clearFrozen();
  const reporter = new TeachingReporter({ print: options.print ?? true, target });
  try {
    const vitest = await startVitest(
      'test',
      selected.map(checkFileOf),
      { config: `${projectRoot}checks/vitest.config.ts`, watch: false, reporters: [reporter], root: projectRoot },
    );
    await vitest.close();
  } finally {
    restore('COURSE_TARGET', saved.target);
    restore('DATABASE_URL', saved.db);
    restore('REDIS_URL', saved.redis);
  }
  return reporter.summary;
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
