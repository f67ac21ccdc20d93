// The course's own quiz bank, and the JSON schema its files name for editors.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../manifest.ts';
import { loadQuizBank } from '../../quiz/load.ts';
import { correctIsLongest, longestAnswerProblem, MAX_LONGEST_CORRECT_SHARE } from '../../quiz/schema.ts';
import { isCorrect, presentedOrder } from '../../quiz/score.ts';

const lessonIds = lessons.map((l) => l.id);

describe('the course quiz bank', () => {
  const bank = loadQuizBank();

  it('has a quiz for every lesson, in manifest order, with at least three questions each', () => {
    expect(bank.lessons.map((l) => l.lesson)).toEqual(lessonIds);
    for (const lesson of bank.lessons) expect(lesson.questions.length, lesson.lesson).toBeGreaterThanOrEqual(3);
    expect(bank.questions.length).toBeGreaterThanOrEqual(25);
  });

  it('uses every kind of question', () => {
    expect(new Set(bank.questions.map((q) => q.kind))).toEqual(new Set(['single', 'multiple', 'order']));
  });

  it('never shows an order question already solved', () => {
    for (const q of bank.questions) if (q.kind === 'order') expect(isCorrect(q, presentedOrder(q)), q.id).toBe(false);
  });

  it('does not always put the right option in the same place', () => {
    const positions = new Set(bank.questions.flatMap((q) => (q.kind === 'single' ? [q.correct] : [])));
    expect(positions.size).toBeGreaterThanOrEqual(3);
  });

  it('does not give the answer away by its length: the right option is the longest in at most 30 % of singles', () => {
    const singles = bank.questions.flatMap((q) => (q.kind === 'single' ? [q] : []));
    const longest = singles.filter(correctIsLongest);
    expect(longestAnswerProblem(bank.questions, 'quiz')).toBeUndefined();
    expect(longest.length / singles.length, longest.map((q) => q.id).join(', ')).toBeLessThanOrEqual(
      MAX_LONGEST_CORRECT_SHARE,
    );
  });
});

describe('quiz.schema.json, the schema the files name for editors', () => {
  const schemaDir = fileURLToPath(new URL('../../quiz', import.meta.url));
  const validate = new Ajv2020({ allErrors: true }).compile(
    JSON.parse(readFileSync(join(schemaDir, 'quiz.schema.json'), 'utf8')) as object,
  );
  const files = readdirSync(schemaDir).filter((f) => /^\d\d-.*\.json$/.test(f));

  it.each(files)('accepts %s, which names it in its "$schema" line', (file) => {
    const data = JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as { $schema?: string };
    expect(data.$schema).toBe('./quiz.schema.json');
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses a question missing its answer, or with a field of another kind', () => {
    const base = { kind: 'single', id: '04-x', prompt: 'p', explanation: 'e', options: ['a', 'b'] };
    expect(validate({ lesson: '04', questions: [base] })).toBe(false);
    expect(validate({ lesson: '04', questions: [{ ...base, correct: 0, items: ['a', 'b'] }] })).toBe(false);
    expect(validate({ lesson: '04', questions: [{ ...base, correct: 0 }] })).toBe(true);
  });
});
