// The built lessons site in a real Chromium: every lesson reachable from the sidebar, every
// exercise page complete, the cache-aside playground and diagram working, no errors anywhere.
// Build first (`npm run docs:build`); `npm run verify` does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exercises, folderOf, lessonPath, lessons } from '../../manifest.ts';
import { root } from '../support/npm-test.ts';
import { desktopPage, distDir, hydrated, livePlayground, shot, useSite } from './support.ts';

/** Lines of a solution long and particular enough that finding one elsewhere means it was copied there. */
function telltaleLines(source: string): string[] {
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) => line.length >= 30 && !line.startsWith('//') && !line.startsWith('*') && !line.startsWith('import'),
    );
}

const site = useSite();

/** An h1's text without VitePress's permalink anchor. */
async function headingOf(page: Page): Promise<string> {
  const text = await page.locator('.vp-doc h1').first().innerText();
  return text.replace(/[\u200b\s]+/g, ' ').trim();
}

describe('the lessons site', () => {
  it('opens on a home page that says what the course is and how to start', async () => {
    const page = await desktopPage(site());
    await page.goto(`${site().url}/`);
    await expect(page.title()).resolves.toContain('Postgres & Redis in TypeScript');
    const hero = await page.locator('.VPHero').innerText();
    expect(hero).toContain('Postgres & Redis');
    const body = await page.locator('.vp-doc').innerText();
    for (const command of ['npm install', 'npm run docs', 'npm test 01', 'npm run learn']) {
      expect(body, `home page should show \`${command}\``).toContain(command);
    }
    await page.screenshot({ path: shot('home'), fullPage: true });
    await page.close();
  });

  it('walks every lesson, in order, by clicking the sidebar', async () => {
    const page = await desktopPage(site());
    await page.goto(`${site().url}/setup`);
    await hydrated(page);
    for (const lesson of lessons) {
      const path = lessonPath(lesson.id);
      await page.locator(`.VPSidebar a[href="${path}"]`).click();
      await page.waitForURL((url) => url.pathname === path);
      await expect.poll(() => headingOf(page), { message: `h1 of ${path}` }).toBe(lesson.title);
      await page.screenshot({ path: shot(`lesson-${lesson.id}-${lesson.slug}`), fullPage: false });
    }
    await page.close();
  });

  it('links each lesson to the exercises it leads to', async () => {
    const page = await desktopPage(site());
    for (const lesson of lessons) {
      const leadsTo = exercises.filter((e) => e.lesson === lesson.id);
      if (leadsTo.length === 0) continue;
      await page.goto(`${site().url}${lessonPath(lesson.id)}`);
      for (const exercise of leadsTo) {
        const links = page.locator(`.vp-doc a[href="/exercises/${folderOf(exercise)}"]`);
        expect(await links.count(), `lesson ${lesson.id} should link to exercise ${exercise.id}`).toBeGreaterThan(0);
      }
    }
    await page.close();
  });

  it('shows every exercise with its file, exports, checks, folded hints and lesson', async () => {
    const page = await desktopPage(site());
    for (const exercise of exercises) {
      const folder = folderOf(exercise);
      const response = await page.goto(`${site().url}/exercises/${folder}`);
      expect(response?.status(), `/exercises/${folder}`).toBe(200);
      expect(await headingOf(page)).toBe(`${exercise.id} · ${exercise.title}`);
      const text = await page.locator('.vp-doc').innerText();
      expect(text).toContain(`exercises/${folder}/${exercise.file}`);
      for (const name of exercise.exports) expect(text).toContain(name);
      expect(text).toContain(`npm test ${exercise.id}`);
      expect(text).toContain(`npm test ${exercise.slug}`);
      expect(text).toContain('npm run learn');
      const hints = page.locator('.vp-doc details.details');
      await expect(hints.getAttribute('open')).resolves.toBeNull();
      expect(await hints.locator('li').count()).toBe(exercise.hints.length);
      expect(await page.locator(`.vp-doc a[href="${lessonPath(exercise.lesson)}"]`).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: shot('exercise-last'), fullPage: true });

    await page.goto(`${site().url}/exercises/`);
    expect(await page.locator('.exercise-list__item').count()).toBe(exercises.length);
    await page.screenshot({ path: shot('exercises-index'), fullPage: true });
    await page.close();
  });

  it('carries no reference solution, and says on each exercise page how to see it', async () => {
    const built = readdirSync(distDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(html|js)$/.test(f))
      .map((f) => readFileSync(join(distDir, f), 'utf8'))
      .join('\n');
    for (const exercise of exercises) {
      const source = readFileSync(join(root, 'solutions', folderOf(exercise), exercise.file), 'utf8');
      const lines = telltaleLines(source);
      expect(lines.length, `telltale lines of ${exercise.id}`).toBeGreaterThan(2);
      const found = lines.filter((line) => built.includes(line));
      expect(found, `solutions/${folderOf(exercise)} in the built site`).toEqual([]);
    }
    const page = await desktopPage(site());
    await page.goto(`${site().url}/exercises/04-cache-aside`);
    await expect(page.getByTestId('solution-static').innerText()).resolves.toMatch(/npm test 04.*passes/);
    expect(await page.getByTestId('solution-code').count()).toBe(0);
    await page.close();
  });

  it('teaches every lesson with worked examples, each with the output verify checked', async () => {
    const page = await desktopPage(site());
    for (const lesson of lessons) {
      await page.goto(`${site().url}${lessonPath(lesson.id)}`);
      const outputs = page.getByTestId('example-output');
      expect(await outputs.count(), `worked examples on ${lessonPath(lesson.id)}`).toBeGreaterThan(0);
      for (const text of await outputs.locator('pre').allInnerTexts()) expect(text.trim()).not.toBe('');
    }
    await page.close();
  });

  it('serves the cache-aside diagram as SVG in the HTML, before any JavaScript runs', async () => {
    const html = await (await fetch(`${site().url}${lessonPath('04')}`)).text();
    const svg = html.slice(html.indexOf('<svg'));
    expect(html).toContain('<svg');
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    for (const label of ['in Redis?', 'read Postgres', 'SET key with TTL', 'return the user']) {
      expect(svg).toContain(label);
    }
  });

  it('plays cache-aside in the playground: miss, hit, invalidation, then a fresh miss', async () => {
    const page = await desktopPage(site());
    // Tall enough that the whole playground fits below the sticky nav bar in a screenshot.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(`${site().url}${lessonPath('04')}`);
    const playground = await livePlayground(page);
    await page.locator('.cache-aside-diagram').screenshot({ path: shot('diagram') });
    await page.locator('#play-with-it').evaluate((heading) => heading.scrollIntoView());
    const outcome = playground.getByTestId('response-outcome');
    const counter = (name: string) => playground.getByTestId(`counter-${name}`).innerText();

    await playground.getByTestId('get-user-1').click();
    await expect.poll(() => outcome.innerText()).toBe('MISS');
    expect(await counter('pg-reads')).toBe('1');
    expect(await playground.getByTestId('redis-key-user:1').count()).toBe(1);
    const firstName = await playground.getByTestId('pg-name-1').innerText();

    await playground.getByTestId('get-user-1').click();
    await expect.poll(() => outcome.innerText()).toBe('HIT');
    expect(await counter('hits')).toBe('1');
    expect(await counter('pg-reads')).toBe('1');

    await playground.getByTestId('update-user-1').click();
    const newName = await playground.getByTestId('pg-name-1').innerText();
    expect(newName).not.toBe(firstName);
    await expect.poll(() => playground.getByTestId('redis-key-user:1').count()).toBe(0);
    expect(await playground.locator('[data-testid="event-log"] li').first().innerText()).toContain('DEL user:1');

    await playground.getByTestId('get-user-1').click();
    await expect.poll(() => outcome.innerText()).toBe('MISS');
    expect(await playground.getByTestId('response-body').innerText()).toContain(newName);
    expect(await counter('pg-reads')).toBe('2');
    await playground.screenshot({ path: shot('playground-invalidation') });

    // Forgetting the DEL: the cache keeps serving the old name.
    await playground.getByTestId('forget-invalidation').check();
    await playground.getByTestId('update-user-1').click();
    await playground.getByTestId('get-user-1').click();
    await expect.poll(() => outcome.innerText()).toBe('STALE');
    expect(await playground.getByTestId('response-body').innerText()).toContain(newName);
    expect(await counter('stale')).toBe('1');
    await playground.screenshot({ path: shot('playground-stale') });
    await page.close();
  });

  it('counts the TTL down live, and the keyboard works the playground', async () => {
    const page = await desktopPage(site());
    await page.goto(`${site().url}${lessonPath('04')}`);
    const playground = await livePlayground(page);
    await playground.getByTestId('speed-toggle').click();
    await playground.getByTestId('get-user-2').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => playground.getByTestId('response-outcome').innerText()).toBe('MISS');
    const ttl = async () => Number((await playground.getByTestId('ttl-user:2').innerText()).replace(/\D+/g, ''));
    const before = await ttl();
    await expect.poll(ttl, { timeout: 5_000 }).toBeLessThan(before);
    await page.close();
  });

  it('reads well on a phone and in dark mode', async () => {
    const page = await site().page();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${site().url}${lessonPath('04')}`);
    const playground = await livePlayground(page);
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the page should not scroll sideways on a phone').toBeLessThanOrEqual(0);
    await page.locator('.cache-aside-diagram').screenshot({ path: shot('diagram-dark-phone') });
    await playground.getByTestId('get-user-3').click();
    await expect.poll(() => playground.getByTestId('response-outcome').innerText()).toBe('MISS');
    await playground.screenshot({ path: shot('playground-dark-phone') });
    await page.close();
  });

  it('has the setup, working-an-exercise and final quiz pages', async () => {
    const page = await desktopPage(site());
    for (const [path, heading] of [
      ['/setup', 'Setup: Postgres and Redis'],
      ['/working-an-exercise', 'Working an exercise'],
      ['/final-quiz', 'Final quiz'],
    ] as const) {
      const response = await page.goto(`${site().url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await headingOf(page)).toBe(heading);
      await page.screenshot({ path: shot(path.slice(1)), fullPage: true });
    }
    await page.close();
  });

  it('saw no console errors, page errors or failed requests', () => {
    expect(site().problems).toEqual([]);
  });
});
