// The quizzes with the keyboard alone, and on a phone in light and dark mode.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonPath } from '../../manifest.ts';
import { screenshotDir, useSite } from './support.ts';

import { LESSON, lessonQuestions, open, itemOrder, expectLocked, answerAll } from './quiz-steps.ts';

const site = useSite();

describe('keyboard and phone', () => {
  it('can be answered with the keyboard alone', async () => {
    const page = await site().page();
    await open(site(), page, lessonPath(LESSON));

    const single = lessonQuestions.find((q) => q.kind === 'single')!;
    if (single.kind !== 'single') throw new Error('unreachable');
    // Focus the first option, move through the group with the arrow keys (which must not answer),
    // then Tab to Check and press Enter.
    await page.getByTestId(`quiz-option-${single.id}-0`).focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < single.correct; i += 1) await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId(`quiz-option-${single.id}-${single.correct}`).isChecked()).toBe(true);
    expect(await page.getByTestId(`quiz-feedback-${single.id}`).count()).toBe(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      `quiz-check-${single.id}`,
    );
    await page.keyboard.press('Enter');
    expect(await page.getByTestId(`quiz-verdict-${single.id}`).innerText()).toMatch(/Right/);
    // Focus lands on the verdict and explanation, not on the body.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      `quiz-feedback-${single.id}`,
    );

    // An order item moved with the keyboard keeps the focus, so it can be moved again.
    const order = lessonQuestions.find((q) => q.kind === 'order')!;
    const before = await itemOrder(page, order);
    await page.getByTestId(`quiz-down-${order.id}-0`).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const after = await itemOrder(page, order);
    expect(after[2]).toBe(before[0]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      `quiz-down-${order.id}-2`,
    );
    expect(site().problems).toEqual([]);
  });

  it('fits a phone screen without scrolling sideways, in light and dark mode', async () => {
    const context = await site().browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') site().problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => site().problems.push(`page error on ${page.url()}: ${err.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) site().problems.push(`HTTP ${r.status()} on ${page.url()}: ${r.url()}`);
    });
    await open(site(), page, lessonPath(LESSON));
    await answerAll(page, lessonQuestions.slice(0, 3), [true, false, false], lessonQuestions.length);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId(`quiz-${LESSON}`).screenshot({ path: join(screenshotDir, 'quiz-phone-light.png') });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => localStorage.setItem('vitepress-theme-appearance', 'dark'));
    await open(site(), page, lessonPath(LESSON));
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    // The three answers given before are still there; reset, and answer two afresh.
    await page.getByTestId('quiz-best').waitFor();
    for (const q of lessonQuestions.slice(0, 3)) await expectLocked(page, q);
    await page.getByTestId('quiz-reset').click();
    await answerAll(page, lessonQuestions.slice(0, 2), [true, false], lessonQuestions.length);
    await page.getByTestId(`quiz-${LESSON}`).screenshot({ path: join(screenshotDir, 'quiz-phone-dark.png') });

    await open(site(), page, '/final-quiz');
    await page.getByTestId('quiz-summary').screenshot({ path: join(screenshotDir, 'quiz-summary-phone-dark.png') });
    await context.close();
    expect(site().problems).toEqual([]);
  });
});
