import { describe, expect, it } from 'vitest';
import type { MultipleQuestion, OrderQuestion, Question, SingleQuestion } from '../../quiz/schema.ts';
import {
  answersKey,
  bestKey,
  bestOf,
  correctOptions,
  formatBest,
  formatScore,
  isCorrect,
  letterOf,
  parseAnswers,
  parseBest,
  presentedOrder,
  scoreOf,
} from '../../quiz/score.ts';

const single: SingleQuestion = {
  kind: 'single',
  id: '04-s',
  prompt: 'p',
  explanation: 'e',
  options: ['a', 'b', 'c'],
  correct: 1,
};
const multiple: MultipleQuestion = {
  kind: 'multiple',
  id: '04-m',
  prompt: 'p',
  explanation: 'e',
  options: ['a', 'b', 'c', 'd'],
  correct: [0, 2],
};
const order: OrderQuestion = {
  kind: 'order',
  id: '04-o',
  prompt: 'p',
  explanation: 'e',
  items: ['first', 'second', 'third', 'fourth'],
};
const questions: Question[] = [single, multiple, order];

describe('isCorrect', () => {
  it('accepts only the correct option of a single question', () => {
    expect(isCorrect(single, 1)).toBe(true);
    expect(isCorrect(single, 0)).toBe(false);
    expect(isCorrect(single, [1])).toBe(false);
  });

  it('accepts the exact set of a multiple question, in any order', () => {
    expect(isCorrect(multiple, [0, 2])).toBe(true);
    expect(isCorrect(multiple, [2, 0])).toBe(true);
  });

  it('rejects a subset or a superset of a multiple question', () => {
    expect(isCorrect(multiple, [0])).toBe(false);
    expect(isCorrect(multiple, [0, 1, 2])).toBe(false);
    expect(isCorrect(multiple, [])).toBe(false);
    expect(isCorrect(multiple, 0)).toBe(false);
  });

  it('does not count a repeated option twice', () => {
    expect(isCorrect(multiple, [0, 0])).toBe(false);
    expect(isCorrect(multiple, [0, 0, 2])).toBe(true);
  });

  it('accepts an order question only in the file order', () => {
    expect(isCorrect(order, [0, 1, 2, 3])).toBe(true);
    expect(isCorrect(order, [1, 0, 2, 3])).toBe(false);
    expect(isCorrect(order, [0, 1, 2])).toBe(false);
    expect(isCorrect(order, 0)).toBe(false);
  });

  it('treats no answer as wrong', () => {
    for (const q of questions) expect(isCorrect(q, undefined)).toBe(false);
  });
});

describe('scoreOf', () => {
  it('counts right answers out of every question, answered or not', () => {
    expect(scoreOf(questions, {})).toEqual({ score: 0, total: 3, answered: 0 });
    expect(scoreOf(questions, { '04-s': 1, '04-m': [0] })).toEqual({ score: 1, total: 3, answered: 2 });
    expect(scoreOf(questions, { '04-s': 1, '04-m': [2, 0], '04-o': [0, 1, 2, 3] })).toEqual({
      score: 3,
      total: 3,
      answered: 3,
    });
  });

  it('ignores answers to questions that are not in the quiz', () => {
    expect(scoreOf([single], { '04-s': 1, 'other-question': 0 })).toEqual({ score: 1, total: 1, answered: 1 });
  });

  it('does not change the answers it is given', () => {
    const answers = Object.freeze({ '04-m': Object.freeze([2, 0]) });
    scoreOf(questions, answers);
    expect(answers['04-m']).toEqual([2, 0]);
  });
});

describe('formatting', () => {
  it('writes the score as "Score: x / N"', () => {
    expect(formatScore({ score: 3, total: 5 })).toBe('Score: 3 / 5');
    expect(formatScore(scoreOf(questions, {}))).toBe('Score: 0 / 3');
  });

  it('writes the best score, or says there is none yet', () => {
    expect(formatBest({ score: 4, total: 5 })).toBe('Best: 4 / 5');
    expect(formatBest(null)).toBe('Best: not taken yet');
  });

  it('letters options from a', () => {
    expect([0, 1, 25].map(letterOf)).toEqual(['a', 'b', 'z']);
  });
});

describe('best scores', () => {
  it('keeps the higher of two scores out of the same total', () => {
    expect(bestOf({ score: 4, total: 5 }, { score: 2, total: 5 })).toEqual({ score: 4, total: 5 });
    expect(bestOf({ score: 2, total: 5 }, { score: 5, total: 5 })).toEqual({ score: 5, total: 5 });
  });

  it('takes the current score when there is no previous best', () => {
    expect(bestOf(null, { score: 0, total: 5 })).toEqual({ score: 0, total: 5 });
    expect(bestOf(undefined, { score: 3, total: 5 })).toEqual({ score: 3, total: 5 });
  });

  it('replaces a best recorded when the quiz had a different number of questions', () => {
    expect(bestOf({ score: 5, total: 5 }, { score: 2, total: 6 })).toEqual({ score: 2, total: 6 });
  });

  it('round-trips through storage and rejects anything malformed', () => {
    expect(parseBest(JSON.stringify({ score: 3, total: 5 }))).toEqual({ score: 3, total: 5 });
    for (const raw of [
      null,
      undefined,
      '',
      'not json',
      '3',
      '{"score":6,"total":5}',
      '{"score":-1,"total":5}',
      '{"score":1.5,"total":5}',
      '{"score":0,"total":0}',
      '{"total":5}',
    ]) {
      expect(parseBest(raw)).toBeNull();
    }
  });

  it('keys a lesson quiz by its id and the final quiz as "final"', () => {
    expect(bestKey('04')).toBe('course-quiz:best:04');
    expect(bestKey()).toBe('course-quiz:best:final');
  });
});

describe('presentedOrder', () => {
  it('is a permutation of the items, the same every time', () => {
    const shown = presentedOrder(order);
    expect([...shown].sort()).toEqual([0, 1, 2, 3]);
    expect(presentedOrder(order)).toEqual(shown);
  });

  it('never shows the items already in the right order', () => {
    for (let n = 2; n <= 7; n += 1) {
      for (let k = 0; k < 50; k += 1) {
        const q: OrderQuestion = {
          ...order,
          id: `04-o-${n}-${k}`,
          items: Array.from({ length: n }, (_, i) => `item ${i}`),
        };
        expect(isCorrect(q, presentedOrder(q))).toBe(false);
      }
    }
  });
});

describe('correctOptions', () => {
  it('lists the right options of each kind', () => {
    expect(correctOptions(single)).toEqual([1]);
    expect(correctOptions({ ...multiple, correct: [2, 0] })).toEqual([0, 2]);
    expect(correctOptions(order)).toEqual([0, 1, 2, 3]);
  });
});

describe('parseAnswers', () => {
  const single: Question = {
    kind: 'single',
    id: '04-a',
    prompt: 'p',
    explanation: 'e',
    options: ['x', 'y'],
    correct: 1,
  };
  const multiple: Question = {
    kind: 'multiple',
    id: '04-b',
    prompt: 'p',
    explanation: 'e',
    options: ['x', 'y', 'z'],
    correct: [0, 2],
  };
  const order: Question = { kind: 'order', id: '04-c', prompt: 'p', explanation: 'e', items: ['x', 'y', 'z'] };
  const questions = [single, multiple, order];

  it('brings back every stored answer that fits its question', () => {
    const raw = JSON.stringify({ '04-a': 1, '04-b': [0, 2], '04-c': [2, 0, 1] });
    expect(parseAnswers(raw, questions)).toEqual({ '04-a': 1, '04-b': [0, 2], '04-c': [2, 0, 1] });
  });

  it('drops answers that no longer fit (a question changed since) and those of questions gone', () => {
    const raw = JSON.stringify({ '04-a': 5, '04-b': [0, 0], '04-c': [0, 1], '04-gone': 0 });
    expect(parseAnswers(raw, questions)).toEqual({});
  });

  it('treats anything malformed as no answers', () => {
    for (const raw of [null, '', 'not json', '[1,2]', '42']) expect(parseAnswers(raw, questions)).toEqual({});
  });

  it("keeps each quiz's answers under its own key", () => {
    expect(answersKey('04')).not.toBe(answersKey());
    expect(answersKey('04')).not.toBe(bestKey('04'));
  });
});
