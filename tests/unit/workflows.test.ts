// The GitHub Actions workflows: as the manifest makes them, clean for actionlint (which does catch
// a broken one), worth the manifest's points, and each Classroom grader step's command, run here
// the way the grader action runs it, gives the verdict `npm test NN` gives.
import { exec } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_POSTGRES_IMAGE, DEFAULT_REDIS_IMAGE } from '../../tooling/images.ts';
import { catalog } from '../../tooling/catalog.ts';
import {
  CHECKS_FILE,
  CLASSROOM_FILE,
  SERVICE_URLS,
  staleWorkflows,
  workflowFiles,
} from '../../scripts/classroom-workflow.ts';
import { pointsOf } from '../../scripts/grade-report.ts';
import { lintWorkflow, manifestTotal } from '../../scripts/grade-workflows.ts';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
interface Job {
  'runs-on': string;
  services: Record<string, { image: string; env?: Record<string, string>; ports: string[]; options: string }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const text = (path: string) => readFileSync(join(root, path), 'utf8');
const classroom = parse(text(CLASSROOM_FILE)) as Workflow;
const checks = parse(text(CHECKS_FILE)) as Workflow;
const job = classroom.jobs['run-autograding-tests']!;
const graders = job.steps.filter((s) => s.uses === 'classroom-resources/autograding-command-grader@v1');
const GRADER_COMMAND = /^DATABASE_URL=(\S+) REDIS_URL=(\S+) (npm test (\d\d))$/;

describe('the workflows', () => {
  it('are what scripts/classroom-workflow.ts writes from the manifest now', async () => {
    expect(await staleWorkflows()).toEqual([]);
  });

  it('pass actionlint, which finds what is broken in a workflow', async () => {
    expect(await lintWorkflow(text(CLASSROOM_FILE), CLASSROOM_FILE)).toEqual([]);
    expect(await lintWorkflow(text(CHECKS_FILE), CHECKS_FILE)).toEqual([]);
    const [generated] = await workflowFiles();
    const broken = generated!.text
      .replace('steps.exercise01.outputs.result', 'steps.exercise99.outputs.result')
      .replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')
      .replace('node-version: 20', 'node-versoin: 20');
    const found = (await lintWorkflow(broken, CLASSROOM_FILE)).map((p) => p.message).join('\n');
    expect(found).toMatch(/exercise99/);
    expect(found).toMatch(/runs-on/);
    expect(found).toMatch(/node-versoin/);
  });

  it('run Postgres and Redis as service containers with health checks, the images pinned in tooling/images.ts', () => {
    for (const workflow of [classroom, checks]) {
      const { services } = Object.values(workflow.jobs)[0]!;
      expect(services.postgres).toMatchObject({ image: DEFAULT_POSTGRES_IMAGE, ports: ['5432:5432'] });
      expect(services.redis).toMatchObject({ image: DEFAULT_REDIS_IMAGE, ports: ['6379:6379'] });
      expect(services.postgres!.options).toMatch(/--health-cmd "pg_isready/);
      expect(services.redis!.options).toMatch(/--health-cmd "redis-cli ping"/);
      // The URLs the steps use are the containers' own: their user, password, database and ports.
      const { POSTGRES_USER: user, POSTGRES_PASSWORD: password, POSTGRES_DB: db } = services.postgres!.env!;
      expect(SERVICE_URLS.DATABASE_URL).toBe(`postgres://${user}:${password}@127.0.0.1:5432/${db}`);
      expect(SERVICE_URLS.REDIS_URL).toBe('redis://127.0.0.1:6379');
    }
  });

  it('give Classroom one grader step per exercise, worth its points, and a reporter that names them all', () => {
    expect(classroom.name).toBe('Autograding Tests');
    expect(Object.keys(classroom.on)).toEqual(expect.arrayContaining(['push', 'workflow_dispatch']));
    expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(job.steps.some((s) => s.run === 'npm ci')).toBe(true);
    const ready = catalog().ready;
    expect(graders.map((s) => GRADER_COMMAND.exec(String(s.with?.command))?.[4])).toEqual(ready.map((e) => e.id));
    for (const [i, step] of graders.entries()) {
      const [, databaseUrl, redisUrl] = GRADER_COMMAND.exec(String(step.with!.command))!;
      expect([databaseUrl, redisUrl]).toEqual([SERVICE_URLS.DATABASE_URL, SERVICE_URLS.REDIS_URL]);
      expect(step.with).toMatchObject({ 'setup-command': '', timeout: expect.any(Number) });
      expect(step.with!['max-score']).toBe(pointsOf(ready[i]!));
    }
    const total = graders.reduce((sum, s) => sum + Number(s.with!['max-score']), 0);
    expect(total).toBe(manifestTotal());
    const reporter = job.steps.at(-1)!;
    expect(reporter.uses).toBe('classroom-resources/autograding-grading-reporter@v1');
    expect(String(reporter.with!.runners).split(',')).toEqual(graders.map((s) => s.id));
    expect(reporter.env).toEqual(
      Object.fromEntries(
        graders.map((s) => [`${s.id!.toUpperCase()}_RESULTS`, `\${{ steps.${s.id}.outputs.result }}`]),
      ),
    );
  });

  it("grade a learner's own repository with npm run grade and keep results.json", () => {
    const steps = checks.jobs.grade!.steps;
    expect(Object.keys(checks.on)).toContain('push');
    expect(checks.jobs.grade!.env).toEqual(SERVICE_URLS);
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm run grade']);
    expect(steps.at(-1)).toMatchObject({ uses: 'actions/upload-artifact@v4', with: { path: 'results.json' } });
  });
});

// The grader action (autograding-command-grader@v1, dist/main.js) runs `command` through a shell
// with execSync and exactly this environment, nothing of the job's or the step's env.
const graderEnv = () => ({
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  FORCE_COLOR: 'true',
  DOTNET_CLI_HOME: '/tmp',
  DOTNET_NOLOGO: 'true',
  HOME: process.env.HOME,
});

const progress = mkdtempSync(join(tmpdir(), 'course-grader-'));
afterAll(() => rmSync(progress, { recursive: true, force: true }));

/** One grader step's command as the action runs it, this machine's servers in the same variables. */
function runAsGrader(command: string, target?: string): Promise<{ code: number; stdout: string }> {
  const [, , , test] = GRADER_COMMAND.exec(command)!;
  const here = `DATABASE_URL='${DATABASE_URL}' REDIS_URL='${REDIS_URL}' ${test}`;
  // Where the code is, and where its progress notes go, are this test's (the learner's tree and
  // progress are left alone); the command itself is the step's.
  const env = { ...graderEnv(), COURSE_RESULTS_DIR: progress, ...(target ? { COURSE_TARGET: target } : {}) };
  return new Promise((resolve) =>
    exec(here, { cwd: root, env }, (error, stdout) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout: stripVTControlCharacters(stdout) }),
    ),
  );
}

// Two exercises stand for all of them (each run takes seconds): 04 uses both stores, 07 Redis
// alone. The verdicts expected are npm test's own, which verify's checks stage proves for every
// exercise: an untouched stub fails every check, a reference solution passes them all.
describe.each(['04', '07'])("exercise %s's grader step, run as the workflow runs it", (id) => {
  const command = () => String(graders.find((s) => s.id === `exercise${id}`)!.with!.command);

  it.each([
    ['the untouched stub', undefined, false],
    ['the reference solution', 'solutions', true],
  ])(
    'gives %s the verdict npm test gives it',
    async (_, target, passes) => {
      const step = await runAsGrader(command(), target);
      // The checks ran (not a missing npm or server): the step printed npm test's own verdict line.
      expect(step.stdout).toMatch(
        new RegExp(passes ? `✓ ${id} [a-z-]+: all \\d+ checks pass\\.` : `✗ ${id} [a-z-]+: 0 of \\d+ checks pass\\.`),
      );
      expect(step.code === 0).toBe(passes);
    },
    60_000,
  );
});
