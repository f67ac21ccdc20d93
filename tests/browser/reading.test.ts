// The built lessons site read as a learner reads it, in a real Chromium: code that fits, search,
// Previous and Next, each lesson's opening, the diagrams and chart, and what happens without JavaScript.
// Build first (`npm run docs:build`); `npm run verify` does.
import type {} from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exercises, folderOf, lessonPath, lessons } from '../../manifest.ts';
import { desktopPage, hydrated, livePlayground, shot, useSite } from './support.ts';

const site = useSite();

describe('reading the lessons', () => {
  it("shows the course's latency figures as a chart, and how to add the learner's own", async () => {
    const page = await desktopPage(site());
    await page.goto(`${site().url}${lessonPath('04')}`);
    const chart = page.getByTestId('bench-chart');
    expect(await chart.locator('rect').count()).toBe(5);
    await expect(chart.getAttribute('data-yours')).resolves.toBe('no');
    await expect(chart.innerText()).resolves.toMatch(/npm run bench/);
  });

  it('draws the write path, the stampede and the queue as diagrams that read without JavaScript', async () => {
    const context = await site().browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    try {
      for (const [lesson, name] of [
        ['05', 'write-path'],
        ['06', 'stampede'],
        ['07', 'queue'],
      ] as const) {
        await page.goto(`${site().url}${lessonPath(lesson)}`);
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
    const page = await desktopPage(site());
    for (const lesson of lessons) {
      await page.goto(`${site().url}${lessonPath(lesson.id)}`);
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
    const context = await site().browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    try {
      await page.goto(`${site().url}${lessonPath('04')}`);
      await expect(page.getByTestId('quiz-needs-js').innerText()).resolves.toMatch(/npm run quiz 04/);
      await expect(page.getByTestId('playground-needs-js').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('no-script-banner').isVisible()).resolves.toBe(true);
      await page.getByTestId('playground-needs-js').scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('lesson-04-no-javascript') });
    } finally {
      await context.close();
    }
    // With JavaScript the notices go as soon as the page is live.
    const live = await desktopPage(site());
    await live.goto(`${site().url}${lessonPath('04')}`);
    await livePlayground(live);
    await live.getByTestId('quiz-score').waitFor();
    await expect(live.getByTestId('playground-needs-js').count()).resolves.toBe(0);
    await expect(live.getByTestId('quiz-needs-js').count()).resolves.toBe(0);
    await expect(live.getByTestId('no-script-banner').isVisible()).resolves.toBe(false);
  });

  it('fits every code block a lesson quotes in its column at 1280 px, with no sideways scrolling', async () => {
    const page = await desktopPage(site());
    const overflowing: string[] = [];
    let blocks = 0;
    for (const lesson of lessons) {
      await page.goto(`${site().url}${lessonPath(lesson.id)}`);
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
    const page = await desktopPage(site());
    await page.goto(`${site().url}/`);
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
    const page = await desktopPage(site());
    const expected = lessons.flatMap((l) => [
      lessonPath(l.id),
      ...exercises.filter((e) => e.lesson === l.id).map((e) => `/exercises/${folderOf(e)}`),
    ]);
    await page.goto(`${site().url}${expected[0]}`);
    const seen = [new URL(page.url()).pathname];
    for (let i = 1; i < expected.length; i += 1) {
      await page.locator('.pager-link.next').click();
      await page.waitForURL((url) => url.pathname !== seen.at(-1));
      seen.push(new URL(page.url()).pathname);
    }
    expect(seen).toEqual(expected);
  });

  it('saw no console errors, page errors or failed requests', () => {
    expect(site().problems).toEqual([]);
  });
});
