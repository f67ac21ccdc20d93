// The learner's progress on the site, live: with `npm run docs` running, a run of an exercise's
// checks against the untouched stub shows it failing on the exercise's page, in the sidebar and
// on the progress page; a run against a correct file then shows it passed. No reload between.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../checks/harness/proxy.ts';
import { npmTest, root } from '../support/npm-test.ts';
import { openSite, screenshotDir, type Site } from './support.ts';

const state = mkdtempSync(join(tmpdir(), 'course-state-'));
const results = join(state, 'results');
let site: Site;
let docs: ChildProcess;
let url = '';

async function answers(address: string): Promise<boolean> {
  try {
    return (await fetch(address)).ok;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  site = await openSite();
  const port = await closedPort();
  url = `http://127.0.0.1:${port}`;
  docs = spawn(
    process.execPath,
    [
      'node_modules/vitepress/bin/vitepress.js',
      'dev',
      'docs',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: root, env: { ...process.env, COURSE_RESULTS_DIR: results }, stdio: 'ignore' },
  );
  for (const until = Date.now() + 50_000; !(await answers(`${url}/`));) {
    if (Date.now() > until) throw new Error('npm run docs did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
}, 60_000);

afterAll(async () => {
  docs?.kill();
  await site?.close();
  rmSync(state, { recursive: true, force: true });
});

const status = (page: Page) => page.getByTestId('exercise-verdict-status').innerText();

describe('progress on the site while npm run docs runs', () => {
  it("draws the learner's own npm run bench figures beside the course's in lesson 04", async () => {
    const round = {
      hit: { median: 0.2 },
      postgres: { median: 0.5 },
      miss: { median: 0.9 },
      loaded: { hit: { median: 0.3 }, postgres: { median: 4 } },
    };
    writeFileSync(
      join(state, 'bench.json'),
      JSON.stringify({ date: new Date().toISOString(), latency: { rounds: [round] } }),
    );
    const page = await site.page();
    await page.goto(`${url}/lessons/04-cache-aside`);
    await expect
      .poll(() => page.getByTestId('bench-chart').getAttribute('data-yours'), { timeout: 20_000 })
      .toBe('yes');
    await expect(page.getByTestId('bench-chart').innerText()).resolves.toMatch(/4\.0 ms \(yours\)/);
    await page.getByTestId('bench-chart').screenshot({ path: join(screenshotDir, 'bench-chart-yours.png') });
  });

  it('shows a stub failing, then the solution passing, on the page already open', async () => {
    const page = await site.page();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${url}/exercises/04-cache-aside`);
    await expect.poll(() => status(page), { timeout: 20_000 }).toMatch(/^Not started/);
    // A mark on the window: gone if the page were reloaded.
    await page.evaluate(() => Object.assign(window, { courseStayed: true }));

    const stub = await npmTest(['04'], { COURSE_RESULTS_DIR: results });
    expect(stub.code, stub.stdout + stub.stderr).toBe(1);
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/✗ Your code is failing: 0 of \d+ checks pass/);
    await expect
      .poll(() => page.locator('.VPSidebar a[href$="/exercises/04-cache-aside"]').getAttribute('data-course-status'))
      .toBe('failing');
    const failed = await page.locator('.exercise-verdict__checks li[data-status="failed"]').count();
    expect(failed).toBeGreaterThan(0);
    await expect(page.locator('.exercise-verdict__message').first().innerText()).resolves.toMatch(/Expected:/);
    await page
      .getByTestId('exercise-verdict')
      .screenshot({ path: join(screenshotDir, 'exercise-verdict-failing.png') });
    // Failing: the reference solution stays closed, and says how it opens.
    await page.getByTestId('solution-locked').waitFor();
    expect(await page.getByTestId('solution-code').count()).toBe(0);

    const solution = await npmTest(['04'], { COURSE_RESULTS_DIR: results, COURSE_TARGET: join(root, 'solutions') });
    expect(solution.code).toBe(0);
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/✓ Your code passes: passed \((\d+) of \1\)/);
    await expect
      .poll(() => page.getByTestId('course-progress-summary').first().innerText())
      .toMatch(/Exercises: 1 of \d+ passed/);
    // The sidebar marks each exercise: 04 passes, 05 has not been run.
    await expect
      .poll(() => page.locator('.VPSidebar a[href$="/exercises/04-cache-aside"]').getAttribute('data-course-status'))
      .toBe('passed');
    await expect(
      page.locator('.VPSidebar a[href$="/exercises/05-invalidate"]').getAttribute('data-course-status'),
    ).resolves.toBe('not-started');
    expect(await page.evaluate(() => (window as { courseStayed?: boolean }).courseStayed)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'exercise-verdict-passed.png') });
    // Passing: the reference solution opens by itself, highlighted, from the solution's file.
    await expect
      .poll(() => page.getByTestId('solution-code').innerText(), { timeout: 10_000 })
      .toContain('export async function getUser');
    await page.getByTestId('solution-reveal').screenshot({ path: join(screenshotDir, 'solution-after-pass.png') });

    await page.goto(`${url}/progress`);
    await expect.poll(() => page.getByTestId('course-progress-04').getAttribute('data-status')).toBe('passed');
    await expect(page.getByTestId('course-progress-05').getAttribute('data-status')).resolves.toBe('not-started');
    await page.getByTestId('quiz-summary').waitFor();
  }, 90_000);

  it('shows a solution before a pass only when asked, after saying it spoils the exercise', async () => {
    const page = await site.page();
    await page.goto(`${url}/exercises/05-invalidate`);
    await page.getByTestId('solution-locked').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('solution-code').count()).toBe(0);
    await page.getByRole('button', { name: 'Show me anyway' }).click();
    await expect(page.getByRole('alertdialog').innerText()).resolves.toMatch(/spoils the exercise/);
    expect(await page.getByTestId('solution-code').count()).toBe(0);
    await page.getByTestId('solution-anyway').click();
    await expect
      .poll(() => page.getByTestId('solution-code').innerText(), { timeout: 10_000 })
      .toContain('export async function updateUser');
    await expect(page.getByTestId('solution-reveal').innerText()).resolves.toMatch(/before your own code passes/);
  });
});
