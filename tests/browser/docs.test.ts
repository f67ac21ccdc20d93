// The built lessons site in a real Chromium: every lesson reachable from the sidebar, every
// exercise page complete, the cache-aside playground and diagram working, no errors anywhere.
// Build first (`npm run docs:build`); `npm run verify` does.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exercises, folderOf, lessonPath, lessons } from '../../manifest.ts';
import { openSite, screenshotDir, type Site } from './support.ts';

let site: Site;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
});

async function desktopPage(): Promise<Page> {
  const page = await site.page();
  await page.setViewportSize({ width: 1280, height: 900 });
  return page;
}

/** Resolves once Vue has hydrated the page, so clicks reach their handlers. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
  );
}

/** The playground, once its own code has loaded and taken over the server-rendered markup. */
async function livePlayground(page: Page) {
  await hydrated(page);
  await page.locator('[data-testid="cache-aside-playground"][data-live="true"]').waitFor();
  return page.getByTestId('cache-aside-playground');
}

/** An h1's text without VitePress's permalink anchor. */
async function headingOf(page: Page): Promise<string> {
  const text = await page.locator('.vp-doc h1').first().innerText();
  return text.replace(/[\u200b\s]+/g, ' ').trim();
}

function shot(name: string): string {
  return join(screenshotDir, `${name}.png`);
}

describe('the lessons site', () => {
  it("shows the course's latency figures as a chart, and how to add the learner's own", async () => {
    const page = await desktopPage();
    await page.goto(`${site.url}${lessonPath('04')}`);
    const chart = page.getByTestId('bench-chart');
    expect(await chart.locator('rect').count()).toBe(5);
    await expect(chart.getAttribute('data-yours')).resolves.toBe('no');
    await expect(chart.innerText()).resolves.toMatch(/npm run bench/);
  });

  it('draws the write path, the stampede and the queue as diagrams that read without JavaScript', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      for (const [lesson, name] of [
        ['05', 'write-path'],
        ['06', 'stampede'],
        ['07', 'queue'],
      ] as const) {
        await page.goto(`${site.url}${lessonPath(lesson)}`);
        const figure = page.getByTestId(`diagram-${name}`);
        await expect(figure.locator('svg title').textContent()).resolves.toBeTruthy();
        expect(await figure.locator('svg rect').count()).toBeGreaterThan(3);
        await figure.screenshot({ path: shot(`diagram-${name}`) });
      }
    } finally {
      await context.close();
    }
  });

  it('opens every lesson with what it teaches and how long it takes to read', async () => {
    const page = await desktopPage();
    for (const lesson of lessons) {
      await page.goto(`${site.url}${lessonPath(lesson.id)}`);
      const intro = page.getByTestId('lesson-intro');
      await expect(intro.locator('li').count()).resolves.toBeGreaterThan(1);
      await expect(page.getByTestId('lesson-reading-time').innerText()).resolves.toMatch(/^About \d+ minutes? to read/);
      // It comes first: right after the title, before the lesson's own words.
      const order = await page.evaluate(() => {
        const doc = document.querySelector('.vp-doc > div');
        return Array.from(doc?.children ?? [])
          .slice(0, 2)
          .map((e) => e.tagName + (e.getAttribute('data-testid') ?? ''));
      });
      expect(order).toEqual(['H1', 'ASIDElesson-intro']);
    }
  });

  it('says, without JavaScript, what needs it: the quiz and the playground', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${site.url}${lessonPath('04')}`);
      await expect(page.getByTestId('quiz-needs-js').innerText()).resolves.toMatch(/npm run quiz 04/);
      await expect(page.getByTestId('playground-needs-js').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('no-script-banner').isVisible()).resolves.toBe(true);
      await page.getByTestId('playground-needs-js').scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('lesson-04-no-javascript') });
    } finally {
      await context.close();
    }
    // With JavaScript the notices go as soon as the page is live.
    const live = await desktopPage();
    await live.goto(`${site.url}${lessonPath('04')}`);
    await livePlayground(live);
    await live.getByTestId('quiz-score').waitFor();
    await expect(live.getByTestId('playground-needs-js').count()).resolves.toBe(0);
    await expect(live.getByTestId('quiz-needs-js').count()).resolves.toBe(0);
    await expect(live.getByTestId('no-script-banner').isVisible()).resolves.toBe(false);
  });

  it('fits every code block a lesson quotes in its column at 1280 px, with no sideways scrolling', async () => {
    const page = await desktopPage();
    const overflowing: string[] = [];
    let blocks = 0;
    for (const lesson of lessons) {
      await page.goto(`${site.url}${lessonPath(lesson.id)}`);
      const found = await page
        .locator('.vp-doc div[class*="language-"] pre')
        .evaluateAll((pres) => pres.map((p) => ({ over: p.scrollWidth - p.clientWidth, text: p.textContent ?? '' })));
      blocks += found.length;
      for (const block of found.filter((b) => b.over > 1)) {
        overflowing.push(`${lesson.id}: ${block.over}px too wide: ${block.text.slice(0, 60)}…`);
      }
    }
    if (overflowing.length === 0) await page.screenshot({ path: shot('lesson-07-desktop'), fullPage: false });
    expect(blocks).toBeGreaterThan(15);
    expect(overflowing).toEqual([]);
  });

  it("finds every exercise page, and the quizzes' explanations, with the search box", async () => {
    const page = await desktopPage();
    await page.goto(`${site.url}/`);
    await hydrated(page);
    const search = async (query: string) => {
      await page.locator('.VPNavBarSearch button').click();
      const input = page.locator('.VPLocalSearchBox input');
      await input.fill(query);
      await page.waitForTimeout(300);
      const links = await page
        .locator('.VPLocalSearchBox .result')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      await page.keyboard.press('Escape');
      return links;
    };
    for (const exercise of exercises) {
      const links = await search(exercise.title);
      expect(
        links.some((l) => l.includes(`/exercises/${folderOf(exercise)}`)),
        `${exercise.title}: ${links.join(', ')}`,
      ).toBe(true);
    }
    // Words only a quiz explanation of lesson 05 holds.
    const quiz = (await search('flushing everything throws away')).filter((l) =>
      l.includes('/lessons/05-invalidation'),
    );
    expect(quiz.length).toBeGreaterThan(0);
  });

  it('runs Next from each lesson through the exercises it leads to, then to the next lesson', async () => {
    const page = await desktopPage();
    const expected = lessons.flatMap((l) => [
      lessonPath(l.id),
      ...exercises.filter((e) => e.lesson === l.id).map((e) => `/exercises/${folderOf(e)}`),
    ]);
    await page.goto(`${site.url}${expected[0]}`);
    const seen = [new URL(page.url()).pathname];
    for (let i = 1; i < expected.length; i += 1) {
      await page.locator('.pager-link.next').click();
      await page.waitForURL((url) => url.pathname !== seen.at(-1));
      seen.push(new URL(page.url()).pathname);
    }
    expect(seen).toEqual(expected);
  });

  it('opens on a home page that says what the course is and how to start', async () => {
    const page = await desktopPage();
    await page.goto(`${site.url}/`);
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
    const page = await desktopPage();
    await page.goto(`${site.url}/setup`);
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
    const page = await desktopPage();
    for (const lesson of lessons) {
      const leadsTo = exercises.filter((e) => e.lesson === lesson.id);
      if (leadsTo.length === 0) continue;
      await page.goto(`${site.url}${lessonPath(lesson.id)}`);
      for (const exercise of leadsTo) {
        const links = page.locator(`.vp-doc a[href="/exercises/${folderOf(exercise)}"]`);
        expect(await links.count(), `lesson ${lesson.id} should link to exercise ${exercise.id}`).toBeGreaterThan(0);
      }
    }
    await page.close();
  });

  it('shows every exercise with its file, exports, checks, folded hints and lesson', async () => {
    const page = await desktopPage();
    for (const exercise of exercises) {
      const folder = folderOf(exercise);
      const response = await page.goto(`${site.url}/exercises/${folder}`);
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

    await page.goto(`${site.url}/exercises/`);
    expect(await page.locator('.exercise-list__item').count()).toBe(exercises.length);
    await page.screenshot({ path: shot('exercises-index'), fullPage: true });
    await page.close();
  });

  it('serves the cache-aside diagram as SVG in the HTML, before any JavaScript runs', async () => {
    const html = await (await fetch(`${site.url}${lessonPath('04')}`)).text();
    const svg = html.slice(html.indexOf('<svg'));
    expect(html).toContain('<svg');
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    for (const label of ['in Redis?', 'read Postgres', 'SET key with TTL', 'return the user']) {
      expect(svg).toContain(label);
    }
  });

  it('plays cache-aside in the playground: miss, hit, invalidation, then a fresh miss', async () => {
    const page = await desktopPage();
    // Tall enough that the whole playground fits below the sticky nav bar in a screenshot.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(`${site.url}${lessonPath('04')}`);
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
    const page = await desktopPage();
    await page.goto(`${site.url}${lessonPath('04')}`);
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
    const page = await site.page();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${site.url}${lessonPath('04')}`);
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
    const page = await desktopPage();
    for (const [path, heading] of [
      ['/setup', 'Setup: Postgres and Redis'],
      ['/working-an-exercise', 'Working an exercise'],
      ['/final-quiz', 'Final quiz'],
    ] as const) {
      const response = await page.goto(`${site.url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await headingOf(page)).toBe(heading);
      await page.screenshot({ path: shot(path.slice(1)), fullPage: true });
    }
    await page.close();
  });

  it('saw no console errors, page errors or failed requests', () => {
    expect(site.problems).toEqual([]);
  });
});
