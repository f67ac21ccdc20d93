// Runs the hidden checks of some exercises, in this process, against the learner's code
// (exercises/) or the reference solutions, and returns what passed. The test command, verify,
// the bench and the guided runner all come through here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  /**
   * Run Vitest in a child process instead of this one. A one-shot command gains about a second:
   * Node loads Vitest faster than this process, which runs under tsx, can. A long-lived caller
   * (the guided runner) stays in-process, where Vitest is loaded once and reused.
   */
  child?: boolean;
}

export function checkFileOf(exercise: Exercise): string {
  return `checks/${folderOf(exercise)}.check.ts`;
}

export async function runChecks(options: RunOptions = {}): Promise<RunSummary> {
  if (options.child) return runChecksInChild(options);
  const selected = options.exercises ?? allExercises;
  const target = options.target ?? 'exercises';
  // The check processes Vitest forks inherit this process's environment: set it for the run only.
  const overrides = checkEnv(options);
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  Object.assign(process.env, overrides);
  clearFrozen();
  const reporter = new TeachingReporter({ print: options.print ?? true, target });
  // Vitest sets process.exitCode when a check fails; here failing checks are results to return
  // (a stub fails on purpose), and the caller decides what its own exit code is.
  const exitCode = process.exitCode;
  try {
    // Loaded here, not at the top: a child-process run never needs Vitest in this process.
    const { startVitest } = await import('vitest/node');
    const vitest = await startVitest(
      'test',
      selected.map(checkFileOf),
      { config: `${projectRoot}checks/vitest.config.ts`, watch: false, reporters: [reporter], root: projectRoot },
    );
    await vitest.close();
  } finally {
    process.exitCode = exitCode;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return reporter.summary;
}

async function runChecksInChild(options: RunOptions): Promise<RunSummary> {
  const selected = options.exercises ?? allExercises;
  const dir = mkdtempSync(join(tmpdir(), 'course-run-'));
  const summaryFile = join(dir, 'summary.json');
  clearFrozen();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...checkEnv(options),
    COURSE_PRINT: options.print === false ? '0' : '1',
    COURSE_SUMMARY_FILE: summaryFile,
    ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
  };
  const vitestCli = join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const args = [vitestCli, 'run', '--config', 'checks/vitest.config.ts', '--reporter', './checks/harness/reporter.ts', ...selected.map(checkFileOf)];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
    // Exercises come back as plain data: give the manifest's own objects back to the caller.
    for (const result of summary.results) result.exercise = allExercises.find((e) => e.id === result.exercise.id) ?? result.exercise;
    return summary;
  } catch {
    return { results: [], passed: 0, failed: 1, ms: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the check processes must find in their environment: the code under check, and the servers. */
function checkEnv(options: RunOptions): Record<string, string> {
  return {
    COURSE_TARGET: options.target ?? 'exercises',
    ...(options.services ? { DATABASE_URL: options.services.postgresUrl, REDIS_URL: options.services.redisUrl } : {}),
  };
}
