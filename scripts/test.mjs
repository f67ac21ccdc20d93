// `npm test [NN|slug ...]`: runs the hidden checks of the chosen exercises (all when none is
// named) against your code in exercises/, with real Postgres and Redis.
//
// Plain JavaScript on purpose: this is the command a learner runs most, and Node starts it
// without a TypeScript loader. Vitest then loads the checks, the harness and your code.
import { readdirSync } from 'node:fs';
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

/** The exercises, read off the check files' names (checks/NN-slug.check.ts; verify keeps them in step with manifest.ts). */
function catalog() {
  return readdirSync(`${root}checks`)
    .filter((name) => /^\d\d-[a-z0-9-]+\.check\.ts$/.test(name))
    .sort()
    .map((name) => {
      const folder = name.slice(0, -'.check.ts'.length);
      return { id: folder.slice(0, 2), slug: folder.slice(3), folder, checkFile: `checks/${name}` };
    });
}

/** By number ("4", "04") or slug ("cache-aside", "04-cache-aside"), as manifest.ts's findExercise. */
function find(exercises, selector) {
  const s = selector.trim().toLowerCase();
  return exercises.find((e) => e.id === s.padStart(2, '0') || e.slug === s || e.folder === s);
}

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
  const exercises = catalog();
  const selected = [];
  for (const name of positionals) {
    const exercise = find(exercises, name);
    if (!exercise) {
      console.error(
        `No exercise "${name}". Name one by number or slug:\n${exercises.map((e) => `  ${e.id}  ${e.slug}`).join('\n')}`,
      );
      return 1;
    }
    if (!selected.includes(exercise)) selected.push(exercise);
  }
  const files = (selected.length ? selected : exercises).map((e) => e.checkFile);
  const given = process.env.COURSE_TARGET?.trim();
  const target = values.solutions ? 'solutions' : given || 'exercises';
  // What the run is, for the harness (through Vitest's provide) and the reporter (its options):
  // the code under check, how many check processes to prepare for, and that this command prints
  // the verdict line and answers a missing server in plain words.
  const course = {
    target: isAbsolute(target) ? target : join(root, target),
    checkFiles: files.length,
    command: 'test',
  };
  const { startVitest } = await import('vitest/node');
  let summary;
  const vitest = await startVitest('test', files, {
    root,
    config: `${root}checks/vitest.config.ts`,
    watch: false,
    provide: { course },
    reporters: [[`${root}checks/harness/reporter.ts`, { target, verdict: true, onSummary: (s) => (summary = s) }]],
  });
  // The exit code is the verdict: 0 only when every selected
  // check ran and passed. A run that never reached the reporter's end has no summary.
  if (!summary || !vitest) return 1;
  const complete =
    summary.results.length === files.length &&
    summary.results.every((r) => !r.fileError && r.passed > 0 && r.failed === 0);
  const clean = summary.failed === 0 && summary.outside === 0 && vitest.state.getCountOfFailedTests() === 0;
  return complete && clean ? 0 : 1;
}

process.exitCode = await main();
