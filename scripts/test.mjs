// `npm test [NN|slug ...]`: runs the hidden checks of the chosen exercises (all when none is
// named) against your code in exercises/, with real Postgres and Redis.
//
// Plain JavaScript on purpose: this is the command a learner runs most, and Node starts it
// without a TypeScript loader. Vitest then loads the checks, the harness and your code, and
// (through its module runner) the course's catalog, read off manifest.ts like everywhere else.
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage
  npm test                      run every exercise's checks against exercises/
  npm test <NN|slug> [...]      run the checks of the exercises named

Options
  --solutions                   check the reference solutions instead (for maintainers)
  -h, --help                    show this help

Environment
  DATABASE_URL, REDIS_URL       servers to use (else containers are started; see docs/setup.md)
  COURSE_TARGET                 a folder laid out like exercises/ to check instead (for maintainers)

Examples
  npm test 04
  npm test cache-aside
  npm test -- --solutions 03`;

const root = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { solutions: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const given = process.env.COURSE_TARGET?.trim();
  const target = values.solutions ? 'solutions' : given || 'exercises';
  // The learner's verdicts, for the site: beside their progress (.course/ of the repository, or of
  // the folder they work in); COURSE_RESULTS_DIR moves them. The reference solutions' are not theirs.
  const results = values.solutions
    ? undefined
    : process.env.COURSE_RESULTS_DIR?.trim() ||
      join(given ? (isAbsolute(given) ? given : join(root, given)) : root, '.course', 'results');
  // The first check process starts now, while this one loads Vitest (tooling/prefork.mjs); the
  // run's own modules come compiled (tooling/one-shot.mjs).
  const { prefork, preforkedPool, endSpares } = await import('../tooling/prefork.mjs');
  prefork(Math.min(Math.max(positionals.length, 1), 2));
  try {
    const loadingVitest = import('vitest/node');
    loadingVitest.catch(() => {});
    const { oneShot, harness, fast } = await runModules();
    if (!fast) endSpares();
    const { catalog, findExercise, exercises, folderOf, Reporter, startRun, CHECK_PROCESSES } = oneShot;

    const { ready, halfAdded } = catalog();
    const selected = [];
    for (const name of positionals) {
      const exercise = findExercise(name);
      const half = exercise && halfAdded.find((h) => h.exercise.id === exercise.id);
      if (!exercise || half) {
        const list = exercises.map((e) => `  ${e.id}  ${e.slug}`).join('\n');
        console.error(half ? half.message : `No exercise "${name}". Name one by number or slug:\n${list}`);
        return 1;
      }
      if (!selected.includes(exercise)) selected.push(exercise);
    }
    for (const { message } of positionals.length === 0 ? halfAdded : []) console.error(message);
    const files = (selected.length ? selected : ready).map((e) => `checks/${folderOf(e)}.check.ts`);
    // What the run is, for the harness (through Vitest's provide) and the reporter (its options):
    // the code under check, how many check processes to prepare for, and that this command prints
    // the verdict line and answers a missing server in plain words.
    const course = {
      target: isAbsolute(target) ? target : join(root, target),
      checkFiles: files.length,
      command: 'test',
    };
    // The servers found, the run's live connections open and its databases on their way, while
    // Vitest loads: the work of the checks' global setup, done here instead of in it.
    const starting = startRun({ course, processes: CHECK_PROCESSES, sweepAfter: loadingVitest });
    starting.catch(() => {});

    let summary;
    let vitest;
    try {
      const { createVitest, ForksPoolWorker } = await loadingVitest;
      vitest = await createVitest(
        'test',
        {
          root,
          config: `${root}checks/vitest.config.ts`,
          watch: false,
          // The plain way, should the fast one be uncertain: Vitest's own pool, the TypeScript as it is.
          ...(fast ? { pool: preforkedPool(ForksPoolWorker) } : {}),
          globalSetup: [],
          reporters: [new Reporter({ target, verdict: true, results, onSummary: (s) => (summary = s) })],
        },
        { plugins: harness ? [harness.plugin] : [] },
      );
    } catch (error) {
      // No Vitest, no checks: what the run made is given back all the same.
      await (await starting.catch(() => undefined))?.teardown();
      throw error;
    }
    let run;
    try {
      try {
        run = await starting;
      } catch (error) {
        console.error(`✗ The checks could not start: ${error?.stack ?? error}`);
        return 1;
      }
      const project = vitest.getRootProject();
      project.provide('course', course);
      project.provide('services', run.services);
      await vitest.start(files);
      // The exit code is the verdict: 0 only when every selected check ran and passed. A run that
      // never reached the reporter's end has no summary.
      if (!summary) return 1;
      const complete =
        summary.results.length === files.length &&
        summary.results.every((r) => !r.fileError && r.passed > 0 && r.failed === 0);
      const clean = summary.failed === 0 && summary.outside === 0 && vitest.state.getCountOfFailedTests() === 0;
      return complete && clean && halfAdded.length === 0 ? 0 : 1;
    } finally {
      // The check processes have closed their connections by now; the run's own release (its
      // databases dropped, whatever a process left terminated) need not wait for Vitest's close.
      await Promise.all([vitest.close(), run?.teardown()]);
    }
  } finally {
    endSpares();
  }
}

/**
 * The run's own modules and the compiled harness (tooling/one-shot.mjs); or, if any of that
 * fails (a cache that cannot be written or read, no esbuild), the same modules as TypeScript,
 * through tsx, and the harness left to Vitest: slower, never another verdict.
 */
async function runModules() {
  try {
    const { loadOneShot, compiledHarness } = await import('../tooling/one-shot.mjs');
    const [oneShot, harness] = await Promise.all([loadOneShot(), compiledHarness()]);
    return { oneShot, harness, fast: true };
  } catch (error) {
    console.error(
      `(the compiled checks could not be used, so they run uncompiled: ${String(error?.message ?? error).split('\n')[0]})`,
    );
    const { tsImport } = await import('tsx/esm/api');
    const oneShot = await tsImport('../checks/harness/one-shot-entry.ts', import.meta.url);
    return { oneShot, harness: undefined, fast: false };
  }
}

process.exitCode = await main();
