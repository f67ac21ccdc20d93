// `npm run grade [-- NN ...]`: runs the checks of every exercise (or of those named) against the
// learner's code in one run, and writes what they found to results.json, a Markdown summary
// ($GITHUB_STEP_SUMMARY, else beside results.json) and one screen in the terminal.
//
// Grading is not failing: the exit code is 0 whatever the score, and 1 only when the grading
// itself could not run (no servers, a target folder that is not laid out like exercises/…).
// The learner's code runs in the check processes, as with `npm test`; this process writes the
// report, and only once every check process has ended, so nothing the code wrote can stand.
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findExercise, folderOf, type Exercise } from '../manifest.ts';
import { catalog } from '../tooling/catalog.ts';
import { runChecks, targetFolder } from '../tooling/check-run.ts';
import { projectRoot, provideServices, ServicesError, type Services } from '../tooling/services.ts';
import { dim, red, yellow } from '../tooling/style.ts';
import { buildReport, type GradeReport } from './grade-report.ts';
import { validateReport } from './grade-schema.ts';
import { markdownSummary, terminalSummary } from './grade-summary.ts';

const USAGE = `Usage
  npm run grade [-- [<NN|slug> ...] [--out <file>]]

Grades every exercise (or those named) against your code in exercises/, all or nothing per
exercise (the manifest's points), and writes results.json. Exit code 0 whatever the score.

Options
  --out <file>      where to write the report (default: results.json in the course's folder);
                    the Markdown summary goes beside it, or to $GITHUB_STEP_SUMMARY when set
  -h, --help        show this help

Environment
  DATABASE_URL, REDIS_URL   servers to use (else containers are started; see docs/setup.md)
  COURSE_TARGET             a folder laid out like exercises/ to grade instead

Examples
  npm run grade
  npm run grade -- 01 04
  COURSE_TARGET=solutions npm run grade -- --out /tmp/solutions.json`;

/** Variables naming the files through which a GitHub Actions step talks to the runner. */
const RUNNER_FILES = ['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE'];

class CannotGrade extends Error {}

function chooseExercises(names: readonly string[]): Exercise[] {
  const { ready, halfAdded } = catalog();
  if (names.length === 0) {
    for (const { message } of halfAdded) console.error(yellow(`(not graded) ${message}`));
    return ready;
  }
  const chosen: Exercise[] = [];
  for (const name of names) {
    const exercise = findExercise(name);
    const half = exercise && halfAdded.find((h) => h.exercise.id === exercise.id);
    if (half) throw new CannotGrade(half.message);
    if (!exercise)
      throw new CannotGrade(
        `No exercise "${name}". Name one by number or slug:\n${ready.map((e) => `  ${e.id}  ${e.slug}`).join('\n')}`,
      );
    if (!chosen.includes(exercise)) chosen.push(exercise);
  }
  return chosen;
}

/** The folder to grade must be there and hold at least one exercise's folder. */
function checkTarget(target: string, graded: readonly Exercise[]): void {
  const folder = targetFolder(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CannotGrade(`There is no folder ${folder} to grade (COURSE_TARGET="${target}").`);
  if (!graded.some((e) => existsSync(join(folder, folderOf(e)))))
    throw new CannotGrade(
      `${folder} is not laid out like exercises/: none of ${graded.map(folderOf).join(', ')} is in it.`,
    );
}

/**
 * A shared run counts errors that came after the checks without saying whose they were. Each
 * exercise that passed is run alone, as `npm test NN` runs it, and keeps its pass only if it has none.
 */
async function errorsAfterChecks(
  passed: readonly Exercise[],
  target: string,
  services: Services,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const exercise of passed) {
    const alone = await runChecks({ exercises: [exercise], target, print: false, services });
    if (alone.outside > 0) found.add(exercise.id);
  }
  return found;
}

function writeReport(report: GradeReport, out: string, summaryFile: string | undefined): string {
  mkdirSync(dirname(out), { recursive: true });
  // Whole or not at all, and over whatever was at that path before.
  writeFileSync(`${out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  const markdown = markdownSummary(report);
  if (summaryFile) {
    appendFileSync(summaryFile, markdown);
    return summaryFile;
  }
  const beside = join(dirname(out), `${basename(out, '.json')}.md`);
  writeFileSync(beside, markdown);
  return beside;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const target = process.env.COURSE_TARGET?.trim() || 'exercises';
  const out = resolve(projectRoot, parsed.values.out ?? 'results.json');
  // The code under check never learns where the runner reads a step's outputs and summary.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY?.trim() || undefined;
  for (const name of RUNNER_FILES) delete process.env[name];

  let services: Services | undefined;
  try {
    const graded = chooseExercises(parsed.positionals);
    checkTarget(target, graded);
    services = await provideServices();
    console.log(dim(`Grading ${graded.length} exercise(s) of ${target}/ (${services.source}) …`));
    const summary = await runChecks({ exercises: graded, target, print: false, services });
    if (summary.results.length === 0)
      throw new CannotGrade('The checks did not run (see the errors above): nothing was graded.');
    let errorsAfter = new Set<string>();
    if (summary.outside > 0) {
      const passed = summary.results.filter((r) => r.failed === 0 && !r.fileError).map((r) => r.exercise);
      errorsAfter = await errorsAfterChecks(passed, target, services);
    }
    const report = buildReport(graded, summary, target, errorsAfter);
    const invalid = validateReport(report);
    if (invalid) throw new Error(`the report does not match tooling/grade-schema.json: ${invalid}`);
    const markdown = writeReport(report, out, summaryFile);
    console.log(`\n${terminalSummary(report, { json: out, markdown })}`);
    console.log(dim(`(${((performance.now() - started) / 1000).toFixed(1)} s)`));
    return 0;
  } catch (error) {
    const known = error instanceof CannotGrade || error instanceof ServicesError;
    console.error(
      `${red('✗')} The grading could not run: ${known ? error.message : ((error as Error).stack ?? error)}`,
    );
    return 1;
  } finally {
    await services?.stop();
  }
}

process.exitCode = await main();
