// The servers the tests use (DATABASE_URL / REDIS_URL, else the machine's), and `npm test` run
// for real (minus npm), with plain output.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runToEnd } from './run-to-end.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function npmTest(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['scripts/test.mjs', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return runToEnd(child);
}
