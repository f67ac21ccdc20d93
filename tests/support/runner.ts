// Driving the guided runner for real (tsx runner/cli.ts, as `npm run learn` does) against the
// fixture course: each test gets a fresh copy (useFixture), and helpers start the command, feed
// it, and wait for what it prints.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { FIXTURE_ONLY, makeFixtureCourse, root, type FixtureCourse } from '../fixtures/runner/course.ts';
import { runToEnd, type Run } from './run-to-end.ts';

export const SLOW = 120_000;

let course: FixtureCourse;

/** Gives each test of the file a fresh fixture course; returns a getter for the current one. */
export function useFixture(): () => FixtureCourse {
  beforeEach(() => {
    course = makeFixtureCourse();
  });
  afterEach(() => course.remove());
  return () => course;
}

export function envFor(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    COURSE_TARGET: course.target,
    COURSE_ONLY: FIXTURE_ONLY,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...extra,
  };
}

export function start(args: string[], env = envFor()): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'runner/cli.ts', ...args], { cwd: root, env });
}

/** util-linux `script` gives the runner a pseudo-terminal (node-pty is not a dependency). */
export const hasScript =
  spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

/** `npm run learn` in a pseudo-terminal: stdin and stdout are a TTY, keys arrive one by one. */
export function startInTerminal(): ChildProcessWithoutNullStreams {
  const command = `${JSON.stringify(process.execPath)} --import tsx runner/cli.ts`;
  return spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: envFor({ TERM: 'xterm' }) });
}

/** Collects a child's output and resolves `waitFor(pattern, from)` once the output (from offset `from` on) matches. */
export function watchOutput(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; from: number; resolve(): void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout.slice(w.from))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor: (pattern: RegExp, from = 0) =>
      pattern.test(stdout.slice(from))
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ pattern, from, resolve })),
  };
}

/** Runs a plain command to its end. */
export function runner(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runToEnd(start(args, options.env), options.input);
}

export function progress(): { exercises: Record<string, { done: boolean; hints: number }> } {
  return JSON.parse(readFileSync(join(course.target, '.course', 'progress.json'), 'utf8'));
}
