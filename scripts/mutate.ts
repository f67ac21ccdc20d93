// `npm run mutate [-- NN ...]`: mutation testing of the reference solutions. Stryker changes each
// solution in many small ways (a `<` for a `<=`, a dropped `await`, a removed statement…) and runs
// the exercise's checks against every such mutant, with the command a learner runs
// (`npm test NN`, one-shot). A check suite worth trusting fails each mutant that a learner could
// tell apart; a mutant that survives is either a gap in the checks or a change nobody can see,
// listed as such, with its reason, in checks/mutation/<NN-slug>.json. The HTML and JSON reports
// go to reports/mutation/<NN-slug>/. The last line is the plain total: "N passed, N failed".
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exercises, findExercise, folderOf, type Exercise } from '../manifest.ts';
import { projectRoot, provideServices, ServicesError } from '../tooling/services.ts';
import { bold, dim, green, red } from '../tooling/style.ts';
import { equivalentsOf, judge, type Survivor } from './mutate-judge.ts';

const USAGE = `Usage
  npm run mutate [-- <NN|slug> ...]

Mutates the reference solution of each exercise named (all when none is) and runs its checks
against every mutant. An exercise passes when at least 95 % of its mutants are killed and every
survivor is listed, with the reason it changes nothing a learner could see, in
checks/mutation/<NN-slug>.json.

Examples
  npm run mutate -- 06
  npm run mutate -- 02 leaderboard`;

const THRESHOLD = 95;

interface MutantResult {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

async function mutateOne(exercise: Exercise, env: { DATABASE_URL: string; REDIS_URL: string }) {
  const { Stryker } = await import('@stryker-mutator/core');
  const folder = folderOf(exercise);
  const reports = join(projectRoot, 'reports', 'mutation', folder);
  mkdirSync(reports, { recursive: true });
  Object.assign(process.env, env);
  const options = {
    mutate: [`solutions/${folder}/${exercise.file}`],
    testRunner: 'command',
    // The learner's own command, against the mutated solution: a fresh one-shot run per mutant.
    commandRunner: { command: `node scripts/test.mjs --solutions ${exercise.id}` },
    coverageAnalysis: 'off',
    // Two mutants at a time on two cores; COURSE_MUTATE_CONCURRENCY=1 when the machine is shared.
    concurrency: Number(process.env.COURSE_MUTATE_CONCURRENCY ?? 2),
    reporters: ['html', 'json', 'progress'],
    htmlReporter: { fileName: join(reports, 'index.html') },
    jsonReporter: { fileName: join(reports, 'mutation.json') },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    ignorePatterns: ['.course', 'reports', 'docs/.vitepress/cache', 'docs/.vitepress/dist', 'checks/attempts'],
    disableTypeChecks: `solutions/${folder}/*.ts`,
    // The checks bound every call themselves (seconds); a mutant that waits out all of them is a timeout, and killed.
    timeoutMS: 30_000,
    logLevel: 'warn',
    fileLogLevel: 'off',
  };
  // Stryker types its log levels as a const enum, which an isolated module cannot name: the strings are its values.
  await new Stryker(options as unknown as ConstructorParameters<typeof Stryker>[0]).runMutationTest();
  const report = JSON.parse(readFileSync(join(reports, 'mutation.json'), 'utf8')) as {
    files: Record<string, { source: string; mutants: MutantResult[] }>;
  };
  const file = Object.values(report.files)[0];
  if (!file) throw new Error(`no mutation report for ${folder}`);
  const survivors: Survivor[] = file.mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map((m) => ({
      at: `${m.location.start.line}:${m.location.start.column}`,
      mutator: m.mutatorName,
      replacement: m.replacement ?? '',
    }));
  const counted = file.mutants.filter((m) => m.status !== 'CompileError' && m.status !== 'Ignored');
  const killed = counted.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  return { total: counted.length, killed, survivors, reports };
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const chosen: Exercise[] = [];
  for (const name of positionals) {
    const exercise = findExercise(name);
    if (!exercise) {
      console.error(`No exercise "${name}".\n\n${USAGE}`);
      return 2;
    }
    chosen.push(exercise);
  }
  let services;
  try {
    services = await provideServices();
  } catch (error) {
    console.error(error instanceof ServicesError ? error.message : String(error));
    return 1;
  }
  let passed = 0;
  let failed = 0;
  try {
    for (const exercise of chosen.length ? chosen : exercises) {
      console.log(bold(`\nMutating solutions/${folderOf(exercise)}/${exercise.file}`));
      const started = performance.now();
      const result = await mutateOne(exercise, { DATABASE_URL: services.postgresUrl, REDIS_URL: services.redisUrl });
      const verdict = judge(result, equivalentsOf(folderOf(exercise)), THRESHOLD);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      for (const line of verdict.lines) console.log(`  ${line}`);
      console.log(
        `  ${verdict.ok ? green('✓') : red('✗')} ${exercise.id} ${exercise.slug}: ${verdict.score.toFixed(1)} % killed ` +
          `(${result.killed} of ${result.total}; ${verdict.equivalent} survivor(s) listed as equivalent) ${dim(`${seconds} s · ${result.reports}/index.html`)}`,
      );
      if (verdict.ok) passed += 1;
      else failed += 1;
    }
  } finally {
    await services.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
