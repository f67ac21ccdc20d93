// `npm test [NN|slug ...]`: runs the hidden checks of the chosen exercises (all when none is
// named) against your code in exercises/, with real Postgres and Redis.
import { parseArgs } from 'node:util';
import { exercises, findExercise, folderOf, type Exercise } from '../manifest';
import { runChecks } from '../checks/harness/run';
import { bold, green, red } from '../checks/harness/reporter';
import { provideServices, ServicesError } from '../checks/harness/services';

const USAGE = `Usage
  npm test                      run every exercise's checks against exercises/
  npm test <NN|slug> [...]      run the checks of the exercises named

Options
  --solutions                   check the reference solutions instead (for maintainers)
  -h, --help                    show this help

Examples
  npm test 04
  npm test cache-aside
  npm test -- --solutions 03`;

const UNKNOWN_EXERCISE = (name: string) =>
  `No exercise "${name}". Name one by number or slug:\n${exercises.map((e) => `  ${e.id}  ${e.slug}`).join('\n')}`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { solutions: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const selected: Exercise[] = [];
  for (const name of positionals) {
    const exercise = findExercise(name);
    if (!exercise) {
      console.error(UNKNOWN_EXERCISE(name));
      process.exitCode = 1;
      return;
    }
    selected.push(exercise);
  }
  let services;
  try {
    services = await provideServices();
  } catch (error) {
    if (!(error instanceof ServicesError)) throw error;
    console.error(`${red('✗')} ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const stop = () => { void services.stop().finally(() => process.exit(130)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const target = values.solutions ? 'solutions' : 'exercises';
    const summary = await runChecks({ exercises: selected.length ? selected : exercises, target, services, child: true });
    console.log();
    if (selected.length === 1 && summary.results.length === 1) {
      const [result] = summary.results;
      const exercise = result!.exercise;
      const total = result!.passed + result!.failed;
      if (result!.failed === 0) {
        const next = exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
        console.log(`${green('✓')} ${bold(`${exercise.id} ${exercise.slug}`)}: all ${total} checks pass.${next ? ` Next: npm test ${next.id} (exercises/${folderOf(next)}/${next.file}).` : ' That was the last exercise.'}`);
      } else {
        console.log(`${red('✗')} ${bold(`${exercise.id} ${exercise.slug}`)}: ${result!.passed} of ${total} checks pass.`);
      }
    } else {
      console.log(`${summary.passed} passed, ${summary.failed} failed`);
    }
    if (summary.failed > 0 || summary.results.length === 0) process.exitCode = 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await services.stop();
  }
}

await main();
