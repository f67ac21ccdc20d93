import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lessons } from '../../manifest.ts';
import { loadQuizBank, QuizError, defaultQuizDir } from '../../quiz/load.ts';
import {
  correctIsLongest,
  longestAnswerProblem,
  validateQuizFile,
  type Question,
  type SingleQuestion,
} from '../../quiz/schema.ts';

const badDir = fileURLToPath(new URL('../fixtures/quiz-bad', import.meta.url));
const lessonIds = lessons.map((l) => l.id);

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(badDir, name), 'utf8'));
}

function problemsOf(data: unknown, fileName = 'quiz/04-cache-aside.json'): string[] {
  return validateQuizFile(fileName, data, lessonIds);
}

const good = () => ({
  lesson: '04',
  questions: [
    { kind: 'single', id: '04-a', prompt: 'p', options: ['x', 'y'], correct: 0, explanation: 'e' },
    { kind: 'multiple', id: '04-b', prompt: 'p', options: ['x', 'y', 'z'], correct: [0, 2], explanation: 'e' },
    { kind: 'order', id: '04-c', prompt: 'p', items: ['one', 'two'], explanation: 'e' },
  ] as Record<string, unknown>[],
});

function withQuestion(change: Record<string, unknown>, index = 0) {
  const file = good();
  file.questions[index] = { ...file.questions[index], ...change };
  return file;
}

describe('validateQuizFile on the bad fixtures', () => {
  it('names the file and the question that has no correct answer', () => {
    const problems = validateQuizFile('quiz-bad/01-filing-cabinet.json', fixture('01-filing-cabinet.json'), lessonIds);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^quiz-bad\/01-filing-cabinet\.json: question "01-no-answer": no correct answer/);
  });

  it('names the file and the duplicated question id', () => {
    const problems = validateQuizFile(
      'quiz-bad/02-drivers-and-pools.json',
      fixture('02-drivers-and-pools.json'),
      lessonIds,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^quiz-bad\/02-drivers-and-pools\.json: question "02-twice": duplicate id/);
  });

  it('names the file, the unknown lesson and its questions', () => {
    const problems = validateQuizFile('quiz-bad/99-unknown-lesson.json', fixture('99-unknown-lesson.json'), lessonIds);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^quiz-bad\/99-unknown-lesson\.json: unknown lesson "99"/);
    expect(problems[0]).toContain('"99-orphan"');
    expect(problems[0]).toContain('01, 02, 03');
  });
});

describe('validateQuizFile', () => {
  it('accepts a well-formed file', () => {
    expect(problemsOf(good())).toEqual([]);
  });

  it.each([
    ['a missing prompt', { prompt: undefined }, /question "04-a": "prompt" is missing or empty/],
    ['an empty prompt', { prompt: '  ' }, /question "04-a": "prompt" is missing or empty/],
    ['a missing explanation', { explanation: undefined }, /question "04-a": "explanation" is missing or empty/],
    ['no options', { options: [] }, /question "04-a": "options" is missing or empty/],
    ['a single option', { options: ['x'] }, /question "04-a": "options" needs at least 2/],
    ['a duplicate option', { options: ['x', 'x'] }, /question "04-a": duplicate entry in "options": "x"/],
    ['a correct index out of range', { correct: 2 }, /question "04-a": correct answer 2 is out of range/],
    [
      'several correct answers',
      { correct: [0, 1] },
      /question "04-a": a single question has exactly one correct answer/,
    ],
    ['an unknown kind', { kind: 'essay' }, /question "04-a": unknown kind "essay"/],
    ['an unknown field', { hint: 'x' }, /question "04-a": unknown field "hint"/],
    [
      'an id that does not start with the lesson',
      { id: '05-a' },
      /question "05-a": "id" must start with the lesson id/,
    ],
  ])('reports %s on a single question', (_, change, message) => {
    const problems = problemsOf(withQuestion(change));
    expect(
      problems.some((p) => p.startsWith('quiz/04-cache-aside.json: ') && message.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports a multiple question with no correct answers, or one out of range', () => {
    expect(problemsOf(withQuestion({ correct: [] }, 1))).toEqual([
      'quiz/04-cache-aside.json: question "04-b": no correct answer; set "correct" to the list of indexes (from 0) of the right options.',
    ]);
    expect(problemsOf(withQuestion({ correct: [0, 3] }, 1))[0]).toMatch(
      /question "04-b": correct answer 3 is out of range/,
    );
  });

  it('reports an order question with fewer than two items', () => {
    expect(problemsOf(withQuestion({ items: ['only'] }, 2))[0]).toMatch(
      /^quiz\/04-cache-aside\.json: question "04-c": "items" needs at least 2 entries, has 1/,
    );
  });

  it('names a question without an id by its position', () => {
    const problems = problemsOf(withQuestion({ id: undefined }, 1));
    expect(problems[0]).toMatch(/^quiz\/04-cache-aside\.json: question #2 \(no id\): "id" is missing/);
  });

  it('reports a lesson that does not match the file name', () => {
    expect(problemsOf(good(), 'quiz/05-invalidation.json')).toEqual([
      expect.stringMatching(/^quiz\/05-invalidation\.json: lesson "04" does not match the file name/),
    ]);
  });

  it('reports a file that is not a quiz object', () => {
    expect(problemsOf([])[0]).toMatch(/^quiz\/04-cache-aside\.json: must be a JSON object/);
    expect(problemsOf({ lesson: '04' })[0]).toMatch(/"questions" must be a list/);
  });
});

describe('loadQuizBank', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function copyOfBank(): string {
    dir = mkdtempSync(join(tmpdir(), 'quiz-bank-'));
    for (const name of readdirSync(defaultQuizDir).filter((n) => n.endsWith('.json'))) {
      copyFileSync(join(defaultQuizDir, name), join(dir, name));
    }
    return dir;
  }

  function errorOf(run: () => unknown): QuizError {
    try {
      run();
    } catch (error) {
      if (error instanceof QuizError) return error;
      throw error;
    }
    throw new Error('expected a QuizError');
  }

  it('lists every problem of the bad fixtures in one error, one line per problem starting with the file name', () => {
    const error = errorOf(() => loadQuizBank(badDir));
    const lines = error.message.split('\n');
    expect(
      lines.every((line) => /^\S*quiz-bad\/\S+\.json: /.test(line)),
      error.message,
    ).toBe(true);
    expect(error.message).toMatch(/01-filing-cabinet\.json: question "01-no-answer": no correct answer/);
    expect(error.message).toMatch(/02-drivers-and-pools\.json: question "02-twice": duplicate id/);
    expect(error.message).toMatch(/99-unknown-lesson\.json: unknown lesson "99"/);
    expect(error.message).toMatch(/03-source-of-truth\.json: missing; lesson 03/);
    expect(error.problems).toHaveLength(lines.length);
  });

  it('reports invalid JSON with the parse error', () => {
    const bank = copyOfBank();
    writeFileSync(join(bank, '04-cache-aside.json'), '{ "lesson": "04", ');
    const error = errorOf(() => loadQuizBank(bank));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/04-cache-aside\.json: invalid JSON: /);
  });

  it('reports a second file for the same lesson', () => {
    const bank = copyOfBank();
    const real = JSON.parse(readFileSync(join(bank, '04-cache-aside.json'), 'utf8'));
    writeFileSync(
      join(bank, '04-cache-aside-extra.json'),
      JSON.stringify({ lesson: '04', questions: [real.questions[0]] }),
    );
    const error = errorOf(() => loadQuizBank(bank));
    expect(error.message).toMatch(
      /04-cache-aside-extra\.json: lesson 04's quiz file must be named "04-cache-aside\.json"/,
    );
    expect(error.message).toMatch(/04-cache-aside\.json: lesson 04 already has a quiz file/);
  });

  it('fails, naming the questions, when the right option is the longest in more than 30 % of the single questions', () => {
    const bank = copyOfBank();
    // The real bank with every single question's right option made the longest, by a margin.
    for (const name of readdirSync(bank).filter((n) => /^\d\d-.*\.json$/.test(n))) {
      const file = JSON.parse(readFileSync(join(bank, name), 'utf8')) as { questions: Question[] };
      for (const q of file.questions) {
        if (q.kind !== 'single') continue;
        const longest = Math.max(...q.options.map((t) => t.length));
        q.options[q.correct] = `${q.options[q.correct]} (${'x'.repeat(longest)})`;
      }
      writeFileSync(join(bank, name), JSON.stringify(file));
    }
    const singles = loadQuizBank().questions.filter((q) => q.kind === 'single');
    const error = errorOf(() => loadQuizBank(bank));
    expect(error.problems, error.message).toHaveLength(1);
    expect(error.message).toMatch(
      new RegExp(
        `^\\S*quiz-bank-\\w+: the correct option is the longest in ${singles.length} of ${singles.length} ` +
          'single-choice questions \\(100 %\\); at most \\d+ \\(30 %\\) may be',
      ),
    );
    for (const q of singles) {
      const file = readdirSync(bank).find((n) => n.startsWith(`${q.id.slice(0, 2)}-`));
      expect(error.message).toContain(`"${q.id}" (${bank}/${file})`);
    }
  });

  it('reports a lesson in manifest.ts that has no quiz file', () => {
    const bank = copyOfBank();
    rmSync(join(bank, '06-cache-lies.json'));
    const error = errorOf(() => loadQuizBank(bank));
    expect(error.problems).toEqual([
      expect.stringMatching(/06-cache-lies\.json: missing; lesson 06 .* has no quiz file/),
    ]);
  });
});

describe('longestAnswerProblem, the rule that the right option must not be findable by its length', () => {
  /** A single question whose options have these lengths (in characters), the right one at `correct`. */
  function single(id: string, lengths: number[], correct: number): SingleQuestion {
    const options = lengths.map((n, i) => String.fromCharCode(97 + i).repeat(n));
    return { kind: 'single', id, prompt: 'p', options, correct, explanation: 'e' };
  }
  /** `longest` questions whose right option is the longest, then `others` whose right option is not. */
  function bankOf(longest: number, others: number): Question[] {
    return [
      ...Array.from({ length: longest }, (_, i) => single(`04-long-${i}`, [3, 9, 4], 1)),
      ...Array.from({ length: others }, (_, i) => single(`04-fair-${i}`, [3, 9, 4], 2)),
    ];
  }

  it('counts a right option that ties for the longest as the longest', () => {
    expect(correctIsLongest(single('04-a', [5, 5], 0))).toBe(true);
    expect(correctIsLongest(single('04-a', [5, 6], 0))).toBe(false);
    expect(correctIsLongest(single('04-a', [7, 6, 2], 0))).toBe(true);
  });

  it('allows up to 30 % of the single-choice questions, whatever the other kinds', () => {
    const order: Question = { kind: 'order', id: '04-o', prompt: 'p', items: ['a', 'bbbbb'], explanation: 'e' };
    expect(longestAnswerProblem(bankOf(3, 7), 'quiz')).toBeUndefined();
    expect(longestAnswerProblem([...bankOf(3, 7), order, order], 'quiz')).toBeUndefined();
    expect(longestAnswerProblem(bankOf(0, 0), 'quiz')).toBeUndefined();
  });

  it('beyond that, names every such question with its file, and how many to fix', () => {
    expect(longestAnswerProblem(bankOf(4, 6), 'quiz', (id) => `quiz/${id}.json`)).toBe(
      'quiz: the correct option is the longest in 4 of 10 single-choice questions (40 %); at most 3 (30 %) may be, ' +
        'or learners can find answers by their length. Make a wrong option longer than the right one (or the right ' +
        'one shorter) in at least 1 of: "04-long-0" (quiz/04-long-0.json), "04-long-1" (quiz/04-long-1.json), ' +
        '"04-long-2" (quiz/04-long-2.json), "04-long-3" (quiz/04-long-3.json).',
    );
  });
});
