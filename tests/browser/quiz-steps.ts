// The steps the quiz tests take: open a page, answer a question right or wrong, and see it locked or open.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadQuizBank } from '../../quiz/load.ts';
import type { Question } from '../../quiz/schema.ts';
import { correctOptions, presentedOrder } from '../../quiz/score.ts';
import { type Site } from './support.ts';

export const bank = loadQuizBank();
export const LESSON = '04';
export const lessonQuestions = bank.lessons.find((l) => l.lesson === LESSON)!.questions;
/** Which questions to get right: a fixed pattern over the data, so both outcomes and every kind occur. */
export const plan = (questions: readonly Question[]) => questions.map((_, i) => i % 3 !== 2);
export const expectedScore = (questions: readonly Question[], count = questions.length) =>
  plan(questions).slice(0, count).filter(Boolean).length;

export async function open(site: Site, page: Page, path: string): Promise<void> {
  await page.goto(`${site.url}${path}`);
  // The best score is shown only once the component is mounted in the browser: hydration is done.
  await page.getByTestId('quiz-best').waitFor();
}

export async function itemOrder(page: Page, q: Question): Promise<number[]> {
  return page
    .locator(`[data-testid^="quiz-item-${q.id}-"]`)
    .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.item)));
}

/** Chooses an answer to `q` with the page's own controls, right or wrong as asked, then presses Check. */
export async function answer(page: Page, q: Question, right: boolean): Promise<void> {
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

export async function controlsOf(page: Page, q: Question) {
  return page.locator(`[data-testid="quiz-question-${q.id}"] :is(input, button)`).all();
}

export async function expectLocked(page: Page, q: Question): Promise<void> {
  for (const control of await controlsOf(page, q)) expect(await control.isDisabled()).toBe(true);
}

export async function expectOpen(page: Page, q: Question): Promise<void> {
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
export async function answerAll(
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
