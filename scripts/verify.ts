// `npm run verify`: proves the whole course. The manifest agrees with the files; everything
// type-checks; the quiz bank is valid; every reference solution passes every check; every
// untouched stub fails every check; every wrong attempt of checks/attempts/ fails the check it
// names and every right one passes; the unit tests pass; the site builds and works in Chromium.
// The last line is the plain total: "N passed, N failed".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bold, dim, green, red } from '../tooling/style.ts';
import { endStrayChildren } from '../tooling/stray-children.ts';
import { projectRoot, provideServices, ServicesError, type Services } from '../tooling/services.ts';
import {
  checkExercises,
  checkLint,
  checkManifest,
  checkQuiz,
  checkSite,
  checkTypes,
  fail,
  problems,
  tally,
  vitestSuite,
} from './verify-stages.ts';
import { startAttempts } from './verify-attempts.ts';
import { checkExamples } from './verify-examples.ts';
import { checkWorkflows } from './grade-workflows.ts';

const USAGE = `Usage
  npm run verify [-- <stage> ...]

Stages (all of them, in this order, when none is named)
  manifest   the manifest agrees with the files; every lesson lists its exercises; the GitHub
             Actions workflows are as it makes them (npm run grade:workflows) and pass actionlint
  types      tsc --noEmit
  lint       eslint and prettier --check
  quiz       the quiz bank is valid
  examples   the lessons show worked examples only, and each prints what its page says
  checks     every solution passes its checks, every untouched stub fails them
  unit       the unit tests (runner, quiz, reporter, harness safety, sandbox, kill trials)
  site       the site builds and works in Chromium
  attempts   every wrong attempt (checks/attempts/) fails the check it names, every right one passes

Examples
  npm run verify
  npm run verify -- checks attempts`;

// The attempts run from the start beside the others (see startAttempts), and are reported last.
const STAGES = ['manifest', 'types', 'lint', 'quiz', 'examples', 'checks', 'unit', 'site', 'attempts'] as const;
type Stage = (typeof STAGES)[number];
/** Stages that need Postgres and Redis. */
const NEEDS_SERVICES: readonly Stage[] = ['examples', 'checks', 'attempts', 'unit', 'site'];

async function runStage(name: Stage, services: Services | undefined, attempts?: () => Promise<void>): Promise<void> {
  const env = services ? { DATABASE_URL: services.postgresUrl, REDIS_URL: services.redisUrl } : {};
  switch (name) {
    case 'manifest':
      await checkManifest();
      return checkWorkflows();
    case 'types':
      return checkTypes();
    case 'lint':
      return checkLint();
    case 'quiz':
      return checkQuiz();
    case 'examples':
      return services ? checkExamples(services) : undefined;
    case 'checks':
      return services ? checkExercises(services) : undefined;
    case 'attempts':
      return attempts?.();
    case 'unit':
      return vitestSuite(
        'Unit tests (runner, quiz, reporter, harness safety, sandbox, kill trials)',
        'vitest.unit.config.ts',
        env,
      );
    case 'site':
      return checkSite(env);
    default:
      return name satisfies never;
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const unknown = positionals.filter((p) => !(STAGES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    console.error(`No stage ${unknown.map((u) => `"${u}"`).join(', ')}.\n\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  const selected = STAGES.filter((s) => positionals.length === 0 || positionals.includes(s));
  const started = performance.now();
  mkdirSync(join(projectRoot, '.course'), { recursive: true });
  console.log(bold('Verifying the course') + dim(positionals.length ? ` (stages: ${selected.join(', ')})` : ''));
  let services: Services | undefined;
  if (selected.some((s) => NEEDS_SERVICES.includes(s))) {
    try {
      services = await provideServices();
      console.log(dim(`Services: ${services.source}`));
    } catch (error) {
      fail(
        'Postgres and Redis available for the checks',
        error instanceof ServicesError ? error.message : String(error),
      );
    }
  }
  const times: string[] = [];
  // The attempts start with the first stage that uses the servers (the type check and the
  // linters have the processor to themselves) and are reported in their turn (see startAttempts).
  let attempts: (() => Promise<void>) | undefined;
  try {
    for (const name of selected) {
      if (!attempts && services && selected.includes('attempts') && NEEDS_SERVICES.includes(name))
        attempts = startAttempts(services);
      const at = performance.now();
      await runStage(name, services, attempts);
      const seconds = ((performance.now() - at) / 1000).toFixed(1);
      times.push(`${name} ${seconds} s`);
      console.log(dim(`  (${name}: ${seconds} s)`));
    }
  } finally {
    await services?.stop();
  }
  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${dim(`Stage times: ${times.join(', ')}`)}`);
  console.log(
    `${tally.failed === 0 ? green('✓ the course verifies') : red(`✗ ${tally.failed} problem(s): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`)} ${dim(`(${total} s)`)}`,
  );
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  if (tally.failed > 0) process.exitCode = 1;
}

await main();
// The verdict is out: a check process still running (one a pool started ahead while its session
// closed) would keep this process, and the command, from ending.
const ended = await endStrayChildren();
if (ended > 0) console.error(dim(`(ended ${ended} process(es) still running after the stages)`));
process.exit();
