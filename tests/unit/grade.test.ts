// `npm run grade`: one run of the checks, a report that matches its schema, points all or nothing,
// exit code 0 whatever the score and 1 only when grading cannot run; and the code under check
// cannot write the report the grader writes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExercise, type Exercise } from '../../manifest.ts';
import { buildReport, DID_NOT_RUN, ERRORS_AFTER, type GradeReport } from '../../scripts/grade-report.ts';
import { validateReport } from '../../scripts/grade-schema.ts';
import { markdownSummary } from '../../scripts/grade-summary.ts';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';
import { runToEnd } from '../support/run-to-end.ts';

// Inside the repository (.course/ is ignored by git), where the checks can load code from.
mkdirSync(join(root, '.course'), { recursive: true });
const scratch = mkdtempSync(join(root, '.course', 'grade-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function grade(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/grade.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL, GITHUB_STEP_SUMMARY: '', ...env },
  });
  return runToEnd(child);
}

function read(file: string): GradeReport {
  const report = JSON.parse(readFileSync(file, 'utf8')) as GradeReport;
  expect(validateReport(report)).toBeUndefined();
  return report;
}

describe('npm run grade', () => {
  it('gives the untouched stubs 0 points, every check failed with its teaching message, and exits 0', async () => {
    const out = join(scratch, 'stubs', 'results.json');
    const run = await grade(['04', 'sessions', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const report = read(out);
    expect(report.exercises.map((e) => [e.id, e.status, e.points])).toEqual([
      ['04', 'fail', { earned: 0, possible: 10 }],
      ['07', 'fail', { earned: 0, possible: 10 }],
    ]);
    expect(report.total).toEqual({ earned: 0, possible: 20, passed: 0, exercises: 2 });
    for (const check of report.exercises.flatMap((e) => e.checks)) {
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/Expected[\s\S]*Observed/);
    }
    expect(run.stdout).toMatch(/0 of 20 points/);
    // Without $GITHUB_STEP_SUMMARY, the Markdown lies beside results.json.
    expect(readFileSync(join(scratch, 'stubs', 'results.md'), 'utf8')).toMatch(/^## Grade: 0 \/ 20 points/);
  }, 60_000);

  it('gives every reference solution its full points, the summary going to $GITHUB_STEP_SUMMARY', async () => {
    const out = join(scratch, 'solutions', 'results.json');
    const summary = join(scratch, 'step-summary.md');
    writeFileSync(summary, '');
    const run = await grade(['04', '07', '--out', out], { COURSE_TARGET: 'solutions', GITHUB_STEP_SUMMARY: summary });
    expect(run.code, run.stderr).toBe(0);
    const report = read(out);
    expect(report.target).toBe('solutions');
    expect(report.exercises.every((e) => e.status === 'pass' && e.checks.every((c) => c.status === 'pass'))).toBe(true);
    expect(report.total).toEqual({ earned: 20, possible: 20, passed: 2, exercises: 2 });
    expect(readFileSync(summary, 'utf8')).toMatch(/^## Grade: 20 \/ 20 points/);
    expect(existsSync(join(scratch, 'solutions', 'results.md'))).toBe(false);
  }, 60_000);

  describe('with code under check that forges the report, or fails after its checks', () => {
    const out = join(scratch, 'forged', 'results.json');
    const summary = join(scratch, 'forged-summary.md');
    const target = join(scratch, 'forger');
    const forged = JSON.stringify({ version: 1, total: { earned: 999, possible: 999 }, forged: true });
    let run: Awaited<ReturnType<typeof grade>>;

    beforeAll(async () => {
      writeFileSync(summary, '');
      // Exercise 07's file as a learner might write it to cheat: a fake "all pass" report at import
      // time and at every call, and a line in whatever job summary it can find.
      mkdirSync(join(target, '07-sessions'), { recursive: true });
      writeFileSync(
        join(target, '07-sessions', 'sessions.ts'),
        `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const forge = () => {
  mkdirSync(${JSON.stringify(join(scratch, 'forged'))}, { recursive: true });
  writeFileSync(${JSON.stringify(out)}, ${JSON.stringify(forged)});
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, 'FORGED');
};
forge();
export async function createSession(): Promise<string> { forge(); return 'x'; }
export async function getSession(): Promise<null> { forge(); return null; }
export async function destroySession(): Promise<void> { forge(); }
`,
      );
      // Exercise 11's reference solution, plus an error thrown outside any check.
      mkdirSync(join(target, '11-leaderboard'), { recursive: true });
      const solution = readFileSync(join(root, 'solutions', '11-leaderboard', 'leaderboard.ts'), 'utf8');
      writeFileSync(
        join(target, '11-leaderboard', 'leaderboard.ts'),
        `${solution}\nsetTimeout(() => {\n  throw new Error('late');\n}, 50);\n`,
      );
      run = await grade(['07', '11', '--out', out], { COURSE_TARGET: target, GITHUB_STEP_SUMMARY: summary });
    }, 90_000);

    it('writes its own verdict over the results.json and job summary the code forged', () => {
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).not.toContain('forged');
      const report = read(out);
      expect(report.exercises[0]).toMatchObject({ id: '07', status: 'fail', points: { earned: 0, possible: 10 } });
      expect(readFileSync(summary, 'utf8')).not.toContain('FORGED');
      expect(readFileSync(summary, 'utf8')).toMatch(/^## Grade: 0 \/ 20 points/);
    });

    it('fails, as npm test does, an exercise whose checks pass but whose code fails after them', () => {
      const [, late] = read(out).exercises;
      expect(late).toMatchObject({ id: '11', status: 'fail', points: { earned: 0, possible: 10 } });
      expect(late!.checks.at(-1)).toMatchObject({ name: ERRORS_AFTER.name, status: 'fail' });
      expect(late!.checks.slice(0, -1).every((c) => c.status === 'pass')).toBe(true);
    });
  });

  it.each([
    ['a target folder that is not there', ['02'], { COURSE_TARGET: join(scratch, 'nowhere') }, /no folder .*nowhere/],
    ['a target not laid out like exercises/', ['02'], { COURSE_TARGET: 'docs' }, /not laid out like exercises\//],
    ['an exercise that does not exist', ['99'], {}, /No exercise "99"/],
    ['only one server given', ['02'], { REDIS_URL: '' }, /REDIS_URL/],
  ])(
    'exits 1 with a clear message, writing nothing, for %s',
    async (_, args, env, message) => {
      const out = join(scratch, 'cannot', 'results.json');
      const run = await grade([...args, '--out', out], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The grading could not run/);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    },
    30_000,
  );
});

describe('the report', () => {
  const at = (id: string) => findExercise(id) as Exercise;
  const check = (name: string, passed: boolean) => ({ name, passed, ...(passed ? {} : { message: 'Expected: a' }) });

  it('is all or nothing per exercise, says error when the checks could not finish or run, and matches the schema', () => {
    const report = buildReport(
      [at('01'), at('02'), at('03'), at('04'), at('05')],
      {
        results: [
          { exercise: at('01'), checks: [check('a', true), check('b', true)], passed: 2, failed: 0 },
          { exercise: at('02'), checks: [check('a', true), check('b', false)], passed: 1, failed: 1 },
          { exercise: at('03'), checks: [check('a', true)], passed: 1, failed: 1, fileError: 'froze' },
          { exercise: at('05'), checks: [check('a', true)], passed: 1, failed: 0 },
        ],
        passed: 5,
        failed: 2,
        ms: 1,
        outside: 1,
      },
      'exercises',
      new Set(['05']),
    );
    expect(validateReport(report)).toBeUndefined();
    expect(report.exercises.map((e) => [e.status, e.points.earned, e.error])).toEqual([
      ['pass', 10, undefined],
      ['fail', 0, undefined],
      ['error', 0, 'froze'],
      ['error', 0, DID_NOT_RUN],
      ['fail', 0, undefined],
    ]);
    expect(report.exercises[4]!.checks.at(-1)).toMatchObject({ name: ERRORS_AFTER.name, status: 'fail' });
    expect(report.total).toEqual({ earned: 10, possible: 50, passed: 1, exercises: 5 });
    expect(markdownSummary(report)).toMatch(/\| ⚠️ \| 03 transactions/);
  });

  it('is refused by the schema check when its points or sums do not hold', () => {
    const report = buildReport([at('01')], { results: [], passed: 0, failed: 0, ms: 0, outside: 0 }, 'exercises');
    expect(validateReport({ ...report, version: 2 })).toMatch(/version/);
    const paid = structuredClone(report);
    paid.exercises[0]!.points.earned = 10;
    expect(validateReport(paid)).toMatch(/error earns 0, not 10/);
    expect(validateReport({ ...report, total: { ...report.total, earned: 5 } })).toMatch(/total.earned/);
  });
});
