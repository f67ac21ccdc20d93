// The quizzes in a real browser: answer a lesson quiz and the final quiz the way a learner does,
// with answers chosen from the quiz data (some right, some wrong), and check what the learner sees.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScore } from '../../quiz/score.ts';
import { lessonPath } from '../../manifest.ts';
import { screenshotDir, useSite } from './support.ts';

import {
  bank,
  LESSON,
  lessonQuestions,
  plan,
  expectedScore,
  open,
  answer,
  expectLocked,
  expectOpen,
  answerAll,
} from './quiz-steps.ts';

const site = useSite();

describe('a lesson quiz', () => {
  it('scores answers as they are given, explains each, locks it, and remembers the best score', async () => {
    const page = await site().page();
    await open(site(), page, lessonPath(LESSON));
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
    await open(site(), page, lessonPath(started.lesson));
    await answer(page, started.questions[0]!, true);
    expect(await page.getByTestId('quiz-best').innerText()).toBe('Best: not taken yet');

    // The summary on the final quiz page (same browser, same storage) shows it.
    await open(site(), page, '/final-quiz');
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
    expect(site().problems).toEqual([]);
  });
});

describe('the final quiz', () => {
  it('asks every question, scores out of all of them and updates the summary', async () => {
    const page = await site().page();
    await open(site(), page, '/final-quiz');
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
    expect(site().problems).toEqual([]);
  });
});
