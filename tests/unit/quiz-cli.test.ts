import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../manifest.ts';
import { parseAnswer, rightLetters } from '../../quiz/ask.ts';
import { loadQuizBank } from '../../quiz/load.ts';
import type { Question } from '../../quiz/schema.ts';
import { isCorrect, letterOf, presentedOrder } from '../../quiz/score.ts';
import { runToEnd, type Run } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bank = loadQuizBank();

/** Runs the real command, `npm run quiz` minus npm: tsx on quiz/cli.ts, with `input` on stdin. */
function quiz(args: string[], input = ''): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'quiz/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return runToEnd(child, input);
}

/** What a learner types to answer `question` right, as the terminal letters it. */
function rightLine(question: Question): string {
  return rightLetters(question).replace(/,/g, '');
}

/** A well-formed answer that is wrong. */
function wrongLine(question: Question): string {
  switch (question.kind) {
    case 'single':
      return letterOf(question.correct === 0 ? 1 : 0);
    case 'multiple':
      return letterOf(question.correct[0] as number);
    case 'order':
      return presentedOrder(question)
        .map((_, i) => letterOf(i))
        .join(' ');
    default:
      return question satisfies never;
  }
}

const cacheAside = bank.lessons.find((l) => l.lesson === '04')!.questions;

describe('parseAnswer', () => {
  it('turns the letters typed for every question into answers the scorer agrees with', () => {
    for (const question of bank.questions) {
      const right = parseAnswer(question, rightLine(question));
      const wrong = parseAnswer(question, wrongLine(question));
      expect('answer' in right && isCorrect(question, right.answer), question.id).toBe(true);
      expect('answer' in wrong && isCorrect(question, wrong.answer), question.id).toBe(false);
    }
  });

  it('accepts letters with commas, spaces, capitals or run together', () => {
    const multiple = bank.questions.find((q) => q.kind === 'multiple')!;
    expect(parseAnswer(multiple, 'A, C')).toEqual({ answer: [0, 2] });
    expect(parseAnswer(multiple, 'c a')).toEqual({ answer: [0, 2] });
    expect(parseAnswer(multiple, 'ca')).toEqual({ answer: [0, 2] });
  });

  it('explains what is wrong with input it cannot use', () => {
    const single = bank.questions.find((q) => q.kind === 'single')!;
    const order = bank.questions.find((q) => q.kind === 'order')!;
    expect(parseAnswer(single, '')).toEqual({ error: expect.stringMatching(/^No answer given\./) });
    expect(parseAnswer(single, 'z')).toEqual({ error: expect.stringMatching(/"z" is not one of the letters a to/) });
    expect(parseAnswer(single, 'a b')).toEqual({ error: expect.stringMatching(/Only one letter/) });
    expect(parseAnswer(order, 'a a')).toEqual({ error: expect.stringMatching(/exactly once/) });
  });
});

describe('npm run quiz', () => {
  it('scores a lesson answered through standard input, some right and some wrong', async () => {
    const lines = cacheAside.map((q, i) => (i % 2 === 0 ? rightLine(q) : wrongLine(q)));
    const expected = cacheAside.filter((_, i) => i % 2 === 0).length;
    const { code, stdout, stderr } = await quiz(['04'], `${lines.join('\n')}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`Score: ${expected} / ${cacheAside.length}`);
    expect(stdout.match(/^Right\.$/gm)).toHaveLength(expected);
    expect(stdout.match(/^Wrong\. /gm)).toHaveLength(cacheAside.length - expected);
    for (const q of cacheAside) expect(stdout).toContain(q.explanation);
  });

  it('asks again after input it cannot use, and selects a lesson by slug', async () => {
    const [first, ...rest] = cacheAside;
    const input = ['', 'zz', rightLine(first!), ...rest.map(rightLine)].join('\n');
    const { code, stdout } = await quiz(['cache-aside'], input);
    expect(code).toBe(0);
    expect(stdout).toContain('No answer given.');
    expect(stdout).toContain('"z" is not one of the letters');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`Score: ${cacheAside.length} / ${cacheAside.length}`);
  });

  it('stops cleanly at the end of input and prints the score so far', async () => {
    const two = cacheAside.slice(0, 2).map(rightLine).join('\n');
    const { code, stdout } = await quiz(['4'], two);
    expect(code).toBe(0);
    expect(stdout).toContain(`No more input: stopped after 2 of ${cacheAside.length} questions.`);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`Score: 2 / ${cacheAside.length}`);
  });

  it('asks every question of every lesson with no argument', async () => {
    const input = bank.questions.map(wrongLine).join('\n');
    const { code, stdout } = await quiz([], input);
    expect(code).toBe(0);
    for (const lesson of lessons) expect(stdout).toContain(`Lesson ${lesson.id}: ${lesson.title}`);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`Score: 0 / ${bank.questions.length}`);
  });

  it('refuses an unknown lesson, listing the valid ones, with exit code 1', async () => {
    const { code, stdout, stderr } = await quiz(['99']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Unknown lesson "99"');
    for (const lesson of lessons) expect(stderr).toContain(`${lesson.id}  ${lesson.slug}`);
  });

  it('prints usage, options and examples for --help', async () => {
    const { code, stdout } = await quiz(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage\n/);
    expect(stdout).toContain('\nOptions\n');
    expect(stdout).toContain('\nExamples\n');
  });
});
