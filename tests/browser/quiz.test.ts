// The quizzes in a real browser: answer a lesson quiz and the final quiz the way a learner does,
// with answers chosen from the quiz data (some right, some wrong), and check what the learner sees.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuizBank } from '../../quiz/load.ts';
import type { Question } from '../../quiz/schema.ts';
import { correctOptions, formatScore, presentedOrder } from '../../quiz/score.ts';
import { lessonPath } from '../../manifest.ts';
import { openSite, screenshotDir, type Site } from './support.ts';

const bank = loadQuizBank();
const LESSON = '04';
const lessonQuestions = bank.lessons.find((l) => l.lesson === LESSON)!.questions;
/** Which questions to get right: a fixed pattern over the data, so both outcomes and every kind occur. */
const plan = (questions: readonly Question[]) => questions.map((_, i) => i % 3 !== 2);
const expectedScore = (questions: readonly Question[], count = questions.length) =>
  plan(questions).slice(0, count).filter(Boolean).length;

let site: Site;

beforeAll(async () => {
  site = await openSite();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await site?.close();
});

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${site.url}${path}`);
  // The best score is shown only once the component is mounted in the browser: hydration is done.
  await page.getByTestId('quiz-best').waitFor();
}

async function itemOrder(page: Page, q: Question): Promise<number[]> {
  return page
    .locator(`[data-testid^="quiz-item-${q.id}-"]`)
    .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.item)));
}

/** Chooses an answer to `q` with the page's own controls, right or wrong as asked, then presses Check. */
async function answer(page: Page, q: Question, right: boolean): Promise<void> {
  switch (q.kind) {
    case 'single': {
      const choice = right ? q.correct : q.correct === 0 ? 1 : 0;
      await page.getByTestId(`quiz-option-${q.id}-${choice}`).check();
      break;
    }
    case 'multiple': {
      const choices = right ? correctOptions(q) : correctOptions(q).slice(0, 1);
      for (const i of choices) await page.getByTestId(`quiz-option-${q.id}-${i}`).check();
      break;
    }
    case 'order': {
      expect(await itemOrder(page, q)).toEqual(presentedOrder(q));
      if (right) {
        // Bring each item up to its place with the Up buttons, as a learner would.
        for (let place = 0; place < q.items.length; place += 1) {
          let at = (await itemOrder(page, q)).indexOf(place);
          for (; at > place; at -= 1) await page.getByTestId(`quiz-up-${q.id}-${at}`).click();
        }
        expect(await itemOrder(page, q)).toEqual(q.items.map((_, i) => i));
      }
      break;
    }
    default:
      q satisfies never;
  }
  await page.getByTestId(`quiz-check-${q.id}`).click();
}

async function controlsOf(page: Page, q: Question) {
  return page.locator(`[data-testid="quiz-question-${q.id}"] :is(input, button)`).all();
}

async function expectLocked(page: Page, q: Question): Promise<void> {
  for (const control of await controlsOf(page, q)) expect(await control.isDisabled()).toBe(true);
}

async function expectOpen(page: Page, q: Question): Promise<void> {
  if (q.kind === 'order') {
    expect(await page.getByTestId(`quiz-down-${q.id}-0`).isDisabled()).toBe(false);
  } else {
    for (const [i] of q.options.entries()) {
      expect(await page.getByTestId(`quiz-option-${q.id}-${i}`).isDisabled()).toBe(false);
    }
  }
  expect(await page.getByTestId(`quiz-feedback-${q.id}`).count()).toBe(0);
}

/** Answers `questions` in turn, checking after each one the verdict, explanation, lock and score out of `total`. */
async function answerAll(
  page: Page,
  questions: readonly Question[],
  rights: readonly boolean[],
  total: number,
): Promise<void> {
  let score = 0;
  for (const [i, q] of questions.entries()) {
    const right = rights[i] ?? false;
    await answer(page, q, right);
    if (right) score += 1;
    const feedback = page.getByTestId(`quiz-feedback-${q.id}`);
    await expect.poll(() => feedback.isVisible()).toBe(true);
    expect(await page.getByTestId(`quiz-verdict-${q.id}`).innerText()).toMatch(right ? /Right/ : /Not quite/);
    expect(await page.getByTestId(`quiz-question-${q.id}`).getAttribute('data-state')).toBe(right ? 'right' : 'wrong');
    const explanation = await page.getByTestId(`quiz-explanation-${q.id}`).innerText();
    expect(explanation.replace(/\s+/g, ' ').trim()).toBe(q.explanation.replace(/`/g, '').replace(/\s+/g, ' ').trim());
    await expectLocked(page, q);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: ${score} / ${total}`);
  }
}

describe('a lesson quiz', () => {
  it('scores answers as they are given, explains each, locks it, and remembers the best score', async () => {
    const page = await site.page();
    await open(page, lessonPath(LESSON));
    const quiz = page.getByTestId(`quiz-${LESSON}`);
    expect(await quiz.count()).toBe(1);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(
      formatScore({ score: 0, total: lessonQuestions.length }),
    );
    expect(await page.getByTestId('quiz-best').innerText()).toBe('Best: not taken yet');
    // Only this lesson's questions.
    expect(await page.locator('[data-testid^="quiz-question-"]').count()).toBe(lessonQuestions.length);

    const rights = plan(lessonQuestions);
    expect(rights).toContain(true);
    expect(rights).toContain(false);
    await answerAll(page, lessonQuestions, rights, lessonQuestions.length);
    const score = expectedScore(lessonQuestions);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: ${score} / ${lessonQuestions.length}`);
    expect(await page.getByTestId('quiz-score-end').innerText()).toBe(`Score: ${score} / ${lessonQuestions.length}`);
    expect(await page.getByTestId('quiz-best').innerText()).toBe(`Best: ${score} / ${lessonQuestions.length}`);

    // A locked answer cannot be changed, even by forcing a click on another option.
    const single = lessonQuestions.find((q) => q.kind === 'single')!;
    const other = single.kind === 'single' ? (single.correct + 1) % single.options.length : 0;
    await page.getByTestId(`quiz-option-${single.id}-${other}`).click({ force: true });
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: ${score} / ${lessonQuestions.length}`);
    await expectLocked(page, single);

    await page.screenshot({ path: join(screenshotDir, 'quiz-lesson-answered.png'), fullPage: true });

    // The answers and the best score survive a reload.
    await page.reload();
    await page.getByTestId('quiz-best').waitFor();
    expect(await page.getByTestId('quiz-best').innerText()).toBe(`Best: ${score} / ${lessonQuestions.length}`);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: ${score} / ${lessonQuestions.length}`);
    for (const q of lessonQuestions) await expectLocked(page, q);

    // Reset clears the answers, for good, but not the best score.
    await page.getByTestId('quiz-reset').click();
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: 0 / ${lessonQuestions.length}`);
    for (const q of lessonQuestions) await expectOpen(page, q);
    await page.reload();
    await page.getByTestId('quiz-best').waitFor();
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: 0 / ${lessonQuestions.length}`);
    for (const q of lessonQuestions) await expectOpen(page, q);
    expect(await page.getByTestId('quiz-best').innerText()).toBe(`Best: ${score} / ${lessonQuestions.length}`);

    // A better attempt raises the best score.
    await answerAll(
      page,
      lessonQuestions,
      lessonQuestions.map(() => true),
      lessonQuestions.length,
    );
    expect(await page.getByTestId('quiz-best').innerText()).toBe(
      `Best: ${lessonQuestions.length} / ${lessonQuestions.length}`,
    );

    // One answer in another lesson's quiz is not that quiz taken: it is in progress.
    const started = bank.lessons.find((l) => l.lesson !== LESSON)!;
    await open(page, lessonPath(started.lesson));
    await answer(page, started.questions[0]!, true);
    expect(await page.getByTestId('quiz-best').innerText()).toBe('Best: not taken yet');

    // The summary on the final quiz page (same browser, same storage) shows it.
    await open(page, '/final-quiz');
    const summary = page.getByTestId('quiz-summary');
    expect(await summary.count()).toBe(1);
    expect(await page.getByTestId(`quiz-summary-best-${LESSON}`).innerText()).toBe(
      `${lessonQuestions.length} / ${lessonQuestions.length}`,
    );
    expect(await page.getByTestId(`quiz-summary-best-${started.lesson}`).innerText()).toBe(
      `in progress: 1 of ${started.questions.length} answered`,
    );
    const untaken = bank.lessons.find((l) => l.lesson !== LESSON && l.lesson !== started.lesson)!.lesson;
    expect(await page.getByTestId(`quiz-summary-best-${untaken}`).innerText()).toBe('not taken');
    expect(await page.getByTestId('quiz-summary-best-final').innerText()).toBe('not taken');
    expect(await page.getByTestId('quiz-summary-best-lessons').innerText()).toBe(
      `${lessonQuestions.length} / ${bank.questions.length} (1 of ${bank.lessons.length} taken)`,
    );
    expect(site.problems).toEqual([]);
  });
});

describe('the final quiz', () => {
  it('asks every question, scores out of all of them and updates the summary', async () => {
    const page = await site.page();
    await open(page, '/final-quiz');
    expect(await page.locator('[data-testid^="quiz-question-"]').count()).toBe(bank.questions.length);
    for (const lesson of bank.lessons)
      expect(await page.getByText(`Lesson ${lesson.lesson}: ${lesson.title}`).count()).toBe(1);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: 0 / ${bank.questions.length}`);

    // Answer through the first order question, so every kind is answered here too.
    const count = bank.questions.findIndex((q) => q.kind === 'order') + 2;
    const some = bank.questions.slice(0, count);
    await answerAll(page, some, plan(some), bank.questions.length);
    const score = expectedScore(some);
    expect(await page.getByTestId('quiz-score').innerText()).toBe(`Score: ${score} / ${bank.questions.length}`);
    expect(await page.getByTestId('quiz-answered').innerText()).toBe(`${count} of ${bank.questions.length} answered`);
    // Not every question answered: the quiz is in progress, not taken.
    expect(await page.getByTestId('quiz-best').innerText()).toBe('Best: not taken yet');
    await expect
      .poll(() => page.getByTestId('quiz-summary-best-final').innerText())
      .toBe(`in progress: ${count} of ${bank.questions.length} answered`);

    // The answers survive a reload; the rest, answered, make the quiz taken.
    await page.reload();
    await page.getByTestId('quiz-best').waitFor();
    expect(await page.getByTestId('quiz-answered').innerText()).toBe(`${count} of ${bank.questions.length} answered`);
    for (const q of some) await expectLocked(page, q);
    const rest = bank.questions.slice(count);
    for (const q of rest) await answer(page, q, true);
    const total = expectedScore(some) + rest.length;
    expect(await page.getByTestId('quiz-best').innerText()).toBe(`Best: ${total} / ${bank.questions.length}`);
    await expect
      .poll(() => page.getByTestId('quiz-summary-best-final').innerText())
      .toBe(`${total} / ${bank.questions.length}`);

    // Every question links back to the lesson it comes from.
    for (const lesson of bank.lessons) {
      for (const q of lesson.questions) {
        const href = await page.getByTestId(`quiz-from-${q.id}`).getAttribute('href');
        expect(href).toBe(lessonPath(lesson.lesson));
      }
    }
    expect(site.problems).toEqual([]);
  });
});

describe('keyboard and phone', () => {
  it('can be answered with the keyboard alone', async () => {
    const page = await site.page();
    await open(page, lessonPath(LESSON));

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
    expect(site.problems).toEqual([]);
  });

  it('fits a phone screen without scrolling sideways, in light and dark mode', async () => {
    const context = await site.browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') site.problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => site.problems.push(`page error on ${page.url()}: ${err.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) site.problems.push(`HTTP ${r.status()} on ${page.url()}: ${r.url()}`);
    });
    await open(page, lessonPath(LESSON));
    await answerAll(page, lessonQuestions.slice(0, 3), [true, false, false], lessonQuestions.length);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId(`quiz-${LESSON}`).screenshot({ path: join(screenshotDir, 'quiz-phone-light.png') });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => localStorage.setItem('vitepress-theme-appearance', 'dark'));
    await open(page, lessonPath(LESSON));
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    // The three answers given before are still there; reset, and answer two afresh.
    await page.getByTestId('quiz-best').waitFor();
    for (const q of lessonQuestions.slice(0, 3)) await expectLocked(page, q);
    await page.getByTestId('quiz-reset').click();
    await answerAll(page, lessonQuestions.slice(0, 2), [true, false], lessonQuestions.length);
    await page.getByTestId(`quiz-${LESSON}`).screenshot({ path: join(screenshotDir, 'quiz-phone-dark.png') });

    await open(page, '/final-quiz');
    await page.getByTestId('quiz-summary').screenshot({ path: join(screenshotDir, 'quiz-summary-phone-dark.png') });
    await context.close();
    expect(site.problems).toEqual([]);
  });
});
