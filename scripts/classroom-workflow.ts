// Writes the two GitHub Actions workflows from the manifest: `npm run grade:workflows`.
//   .github/workflows/classroom.yml  GitHub Classroom's autograding: one grader step per exercise
//   .github/workflows/checks.yml     a learner's own repository: `npm run grade` and its report
// `npm run verify -- manifest` fails when the committed files differ from what this writes, so an
// exercise added to the manifest without its grader step is caught there.
import { writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import type { Exercise } from '../manifest.ts';
import { catalog } from '../tooling/catalog.ts';
import { DEFAULT_POSTGRES_IMAGE, DEFAULT_REDIS_IMAGE } from '../tooling/images.ts';
import { projectRoot } from '../tooling/services.ts';
import { pointsOf } from './grade-report.ts';

export const CLASSROOM_FILE = '.github/workflows/classroom.yml';
export const CHECKS_FILE = '.github/workflows/checks.yml';

/** The service containers as the job's steps reach them (their ports published on the runner). */
export const SERVICE_URLS = {
  DATABASE_URL: 'postgres://course:course@127.0.0.1:5432/course',
  REDIS_URL: 'redis://127.0.0.1:6379',
} as const;

/**
 * How long one `npm test NN` may take, in minutes (the grader's `timeout`). A run takes seconds;
 * a learner's loop is stopped by the checks' own watchdog, and the slowest file's checks, each at
 * its 20 s limit, stay under 5 minutes.
 */
export const GRADER_TIMEOUT_MINUTES = 5;

const GRADER = 'classroom-resources/autograding-command-grader@v1';
const REPORTER = 'classroom-resources/autograding-grading-reporter@v1';

export interface GraderStep {
  /** The step id: letters and digits only, as the reporter's `runners` list expects them. */
  id: string;
  name: string;
  command: string;
  timeout: number;
  maxScore: number;
}

/** The exercises graded: every one the manifest lists whose checks and solution are in place. */
export function gradedExercises(): Exercise[] {
  return catalog().ready;
}

/**
 * The grader runs its command with PATH and HOME only (not the job's or the step's env), so the
 * command names the service containers' URLs itself.
 */
export function graderSteps(exercises: readonly Exercise[] = gradedExercises()): GraderStep[] {
  const urls = Object.entries(SERVICE_URLS)
    .map(([name, url]) => `${name}=${url}`)
    .join(' ');
  return exercises.map((e) => ({
    id: `exercise${e.id}`,
    name: `${e.id} ${e.slug}: ${e.title}`,
    command: `${urls} npm test ${e.id}`,
    timeout: GRADER_TIMEOUT_MINUTES,
    maxScore: pointsOf(e),
  }));
}

/** A YAML single-quoted string. */
function q(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const HEALTH = '--health-interval 2s --health-timeout 3s --health-retries 30';

/** Postgres and Redis as docker-compose.yml runs them, with the images tooling/images.ts pins. */
const SERVICES = `
    services:
      postgres:
        image: ${DEFAULT_POSTGRES_IMAGE}
        env:
          POSTGRES_USER: course
          POSTGRES_PASSWORD: course
          POSTGRES_DB: course
        ports: ['5432:5432']
        options: >-
          --health-cmd "pg_isready -h 127.0.0.1 -U course -d course" ${HEALTH}
      redis:
        image: ${DEFAULT_REDIS_IMAGE}
        ports: ['6379:6379']
        options: >-
          --health-cmd "redis-cli ping" ${HEALTH}`;

const SETUP = `
      - name: Check out the code
        uses: actions/checkout@v4
      - name: Set up Node.js 20
        uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install
        run: npm ci`;

const GENERATED = `# Written by \`npm run grade:workflows\` from manifest.ts: change the manifest (or
# scripts/classroom-workflow.ts) and run it again; \`npm run verify -- manifest\` compares.`;

export function classroomWorkflow(steps: readonly GraderStep[] = graderSteps()): string {
  const graders = steps.map(
    (s) => `
      - name: ${q(s.name)}
        id: ${s.id}
        uses: ${GRADER}
        with:
          test-name: ${q(s.name)}
          setup-command: ''
          command: ${q(s.command)}
          timeout: ${s.timeout}
          max-score: ${s.maxScore}`,
  );
  return `${GENERATED}
#
# GitHub Classroom's autograding ("GitHub Actions" tests): one step per exercise runs
# \`npm test NN\`, whose exit code is the verdict, worth the exercise's points or none; the
# reporter adds them up for Classroom. The grader runs each command with PATH and HOME alone,
# not with this job's env, so the command names the service containers' URLs itself. The
# reporter wants this workflow's name and job name as they are, and this job alone in it.
name: Autograding Tests
on:
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    # Classroom's own first commit of the repository is not the learner's work.
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: ${15 + steps.length * GRADER_TIMEOUT_MINUTES}${SERVICES}
    steps:${SETUP}${graders.join('')}
      - name: Autograding Reporter
        uses: ${REPORTER}
        env:${steps.map((s) => `\n          ${s.id.toUpperCase()}_RESULTS: "\${{ steps.${s.id}.outputs.result }}"`).join('')}
        with:
          runners: ${steps.map((s) => s.id).join(',')}
`;
}

export function checksWorkflow(): string {
  return `${GENERATED}
#
# Every push to a learner's own repository: all the exercises graded in one run (\`npm run grade\`),
# the grade as this run's summary, and results.json to download. Grading is not failing: the run
# is green whatever the score; the summary says what passes.
name: Checks
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30${SERVICES}
    env:${Object.entries(SERVICE_URLS)
      .map(([name, url]) => `\n      ${name}: ${url}`)
      .join('')}
    steps:${SETUP}
      - name: Grade every exercise
        # Writes its Markdown summary to $GITHUB_STEP_SUMMARY itself.
        run: npm run grade
      - name: Keep results.json
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: results
          path: results.json
`;
}

/** Both files, as Prettier formats them (prettier --check . reads them too). */
export async function workflowFiles(): Promise<{ path: string; text: string }[]> {
  const files = [
    { path: CLASSROOM_FILE, text: classroomWorkflow() },
    { path: CHECKS_FILE, text: checksWorkflow() },
  ];
  return Promise.all(
    files.map(async ({ path, text }) => {
      const filepath = join(projectRoot, path);
      const options = (await prettier.resolveConfig(filepath)) ?? {};
      return { path, text: await prettier.format(text, { ...options, filepath, parser: 'yaml' }) };
    }),
  );
}

/** The files whose committed text is not what workflowFiles() writes now. */
export async function staleWorkflows(): Promise<string[]> {
  const stale: string[] = [];
  for (const { path, text } of await workflowFiles()) {
    const file = join(projectRoot, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(path);
  }
  return stale;
}

async function main(): Promise<void> {
  const stale = new Set(await staleWorkflows());
  for (const { path, text } of await workflowFiles()) {
    mkdirSync(dirname(join(projectRoot, path)), { recursive: true });
    writeFileSync(join(projectRoot, path), text);
    console.log(`${stale.has(path) ? 'wrote' : 'unchanged'}  ${path}`);
  }
  const steps = graderSteps();
  console.log(`${steps.length} grader steps, ${steps.reduce((sum, s) => sum + s.maxScore, 0)} points in all`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
