// What a quiz keeps in this browser (localStorage): the answers given, so a reload finds the
// quiz as it was left, and the best score of a quiz taken in full. Storage can be disabled or
// full: the quiz then works the same, it just forgets.
import {
  answersKey,
  bestKey,
  bestOf,
  parseAnswers,
  parseBest,
  type Answer,
  type Answers,
  type Score,
} from '../../../quiz/score.ts';
import type { Question } from '../../../quiz/schema.ts';

/** Fired on window whenever answers or a best score are stored, so a QuizSummary on the same page can refresh. */
export const QUIZ_EVENT = 'course-quiz:changed';

export function quizStorage(lesson: string | undefined) {
  const best = bestKey(lesson);
  const given = answersKey(lesson);
  const attempt = <T>(run: () => T, otherwise: T): T => {
    try {
      return run();
    } catch {
      return otherwise;
    }
  };
  return {
    readBest: (): Score | null => attempt(() => parseBest(window.localStorage.getItem(best)), null),
    /** Stores the better of the two and tells the page; returns it. */
    recordBest(previous: Score | null, current: Score): Score {
      const better = bestOf(previous, current);
      attempt(() => window.localStorage.setItem(best, JSON.stringify(better)), undefined);
      window.dispatchEvent(new CustomEvent(QUIZ_EVENT, { detail: { key: best } }));
      return better;
    },
    readAnswers: (questions: readonly Question[]): Record<string, Answer> =>
      attempt(() => parseAnswers(window.localStorage.getItem(given), questions), {}),
    saveAnswers(answers: Answers): void {
      attempt(() => window.localStorage.setItem(given, JSON.stringify(answers)), undefined);
      window.dispatchEvent(new CustomEvent(QUIZ_EVENT, { detail: { key: given } }));
    },
    forgetAnswers(): void {
      attempt(() => window.localStorage.removeItem(given), undefined);
      window.dispatchEvent(new CustomEvent(QUIZ_EVENT, { detail: { key: given } }));
    },
  };
}
