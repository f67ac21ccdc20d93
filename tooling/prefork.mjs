// A head start for `npm test`: the check process is started before Vitest itself has loaded.
// Vitest starts its first worker only once the run's global setup is done (the servers found, the
// run's database on its way), and that worker then spends a few hundred milliseconds loading
// Vitest's runtime and the drivers. Started first, the same process does that work on the other
// core while this one loads Vitest, and is handed to Vitest when it asks for its first worker.
//
// Plain JavaScript, like scripts/test.mjs: it runs before any TypeScript loader could.
// A spare is used only if its environment and Node options are exactly those Vitest asks for
// (else it is ended and Vitest starts its own); nothing here changes what a check process is.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { SERVER_VARIABLES } from './server-variables.mjs';

const SPARES = Symbol.for('course.prefork.spares');
const registry = globalThis;
/** @type {{ child: import('node:child_process').ChildProcess, env: Record<string, string>, execArgv: string[] }[]} */
const spares = (registry[SPARES] ??= []);

const vitestRoot = dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
// A URL, not a path: Node's --import takes a specifier, and a Windows path is none.
const preload = new URL('./prefork-preload.mjs', import.meta.url).href;

/** What Vitest 4.1 gives a check process (its pool's env and execArgv, with the checks' config). */
function expected() {
  const env = {
    ...process.env,
    TEST: 'true',
    VITEST: 'true',
    // Vite sets NODE_ENV while it loads the config, before Vitest reads it; the rest is the
    // project's import.meta.env, which Vitest passes on too.
    NODE_ENV: process.env.NODE_ENV || 'development',
    VITEST_MODE: 'RUN',
    FORCE_TTY: isatty(1) ? 'true' : '',
    PROD: '',
    DEV: '1',
    BASE_URL: '/',
    MODE: 'test',
  };
  for (const name of SERVER_VARIABLES) delete env[name];
  const execArgv = [
    ...process.execArgv.filter((a) => /^--(cpu-prof|heap-prof|diagnostic-dir)/.test(a)),
    '--experimental-import-meta-resolve',
    '--require',
    join(vitestRoot, 'suppress-warnings.cjs'),
    '--conditions',
    'node',
    '--conditions',
    'development',
    '--no-deprecation',
  ];
  return { env, execArgv };
}

/** Starts `count` check processes ahead of Vitest. */
export function prefork(count = 1) {
  const { env, execArgv } = expected();
  for (let i = 0; i < count; i++) {
    const child = fork(join(vitestRoot, 'dist', 'workers', 'forks.js'), [], {
      env,
      execArgv: [...execArgv, '--import', preload],
      stdio: 'pipe',
      serialization: 'advanced',
    });
    spares.push({ child, env, execArgv });
  }
}

/** Environments as Node passes them to a child: unset values left out. */
function sameEnv(a, b) {
  const defined = (env) =>
    Object.entries(env)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .sort()
      .join('\0');
  return defined(a) === defined(b);
}

/** A spare process started exactly as Vitest would start this one, or none. Ends those that are not. */
function takeSpare(env, execArgv) {
  while (spares.length > 0) {
    const spare = spares.shift();
    const alive = spare.child.exitCode === null && spare.child.signalCode === null && spare.child.connected;
    if (alive && sameEnv(spare.env, env) && spare.execArgv.join('\0') === execArgv.join('\0')) return spare.child;
    spare.child.kill('SIGKILL');
  }
  return undefined;
}

/** Ends every spare not handed to Vitest (a run that stopped early, or started none). */
export function endSpares() {
  for (const { child } of spares.splice(0)) child.kill('SIGKILL');
}
process.once('exit', endSpares);

/**
 * Vitest's own forks pool, except that its first workers are the spares started ahead. A class
 * instance, given as `pool` to createVitest (a plain object would be merged into the config's).
 */
class PreforkedForks {
  name = 'course-forks';
  constructor(ForksPoolWorker) {
    this.ForksPoolWorker = ForksPoolWorker;
  }
  createPoolWorker(options) {
    const worker = new this.ForksPoolWorker(options);
    const spare = takeSpare(options.env, options.execArgv);
    // ForksPoolWorker.start() forks only when it holds no process yet.
    if (spare) worker._fork = spare;
    return worker;
  }
}

/** The pool for createVitest, once vitest/node is loaded. */
export function preforkedPool(ForksPoolWorker) {
  return new PreforkedForks(ForksPoolWorker);
}
