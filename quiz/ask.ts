// Asks questions over plain lines of text and scores the answers: the engine of `npm run quiz`.
// It reads through a LineSource and writes through a function, so it works the same on a terminal,
// a pipe, or in a test.
import type { Question } from './schema.ts';
import {
  correctOptions,
  formatScore,
  isCorrect,
  letterOf,
  presentedOrder,
  scoreOf,
  type Answer,
  type QuizProgress,
} from './score.ts';

/** Where answers come from: one line at a time, `undefined` once the input has ended. */
export interface LineSource {
  next(): Promise<string | undefined>;
}

/** Optional styling for the verdicts (colour on a terminal); plain text by default. */
export interface Style {
  right(text: string): string;
  wrong(text: string): string;
  dim(text: string): string;
}

export const plainStyle: Style = { right: (t) => t, wrong: (t) => t, dim: (t) => t };

export const PROMPT = '> ';
export const RIGHT = 'Right.';
export const WRONG = 'Wrong.';
export const HOW_TO_ANSWER: Record<Question['kind'], string> = {
  single: 'Answer with one letter, e.g. b.',
  multiple: 'Choose every right option: letters separated by spaces or commas, e.g. a c.',
  order: 'Put the items in order: every letter once, first step first, e.g. c a d b.',
};
export const KIND_LABEL: Record<Question['kind'], string> = {
  single: 'one answer',
  multiple: 'several answers',
  order: 'put in order',
};
export const NO_MORE_INPUT = (answered: number, total: number) =>
  `No more input: stopped after ${answered} of ${total} question${total === 1 ? '' : 's'}.`;

/** One question as shown in the terminal, with its options (or items) lettered a, b, c... */
export function renderQuestion(question: Question, number: number, total: number): string {
  const lines = [`Question ${number} of ${total} (${KIND_LABEL[question.kind]})`, question.prompt];
  labels(question).forEach((text, i) => lines.push(`  ${letterOf(i)}) ${text}`));
  lines.push(HOW_TO_ANSWER[question.kind]);
  return lines.join('\n');
}

/** The texts behind the letters a, b, c... in the order they are shown. */
function labels(question: Question): string[] {
  switch (question.kind) {
    case 'single':
    case 'multiple':
      return question.options;
    case 'order':
      return presentedOrder(question).map((item) => question.items[item] ?? '');
    default:
      return question satisfies never;
  }
}

export type Parsed = { answer: Answer } | { error: string };

/** Turns a typed line ("b", "a, c", "c a d b", "acdb") into an answer, or says what is wrong with it. */
export function parseAnswer(question: Question, line: string): Parsed {
  const count = labels(question).length;
  const last = letterOf(count - 1);
  const tokens = line
    .trim()
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean)
    .flatMap((token) => (/^[a-z]+$/.test(token) ? [...token] : [token]));
  const bad = tokens.find((t) => t.length !== 1 || t < 'a' || t > last);
  if (tokens.length === 0 || bad !== undefined) {
    const why = tokens.length === 0 ? 'No answer given.' : `"${bad}" is not one of the letters a to ${last}.`;
    return { error: `${why} ${HOW_TO_ANSWER[question.kind]}` };
  }
  const indexes = tokens.map((t) => t.charCodeAt(0) - 97);
  switch (question.kind) {
    case 'single':
      if (indexes.length !== 1) return { error: `Only one letter, please. ${HOW_TO_ANSWER.single}` };
      return { answer: indexes[0] as number };
    case 'multiple':
      return { answer: [...new Set(indexes)].sort((a, b) => a - b) };
    case 'order': {
      if (new Set(indexes).size !== indexes.length || indexes.length !== count) {
        return { error: `Use each of the ${count} letters a to ${last} exactly once. ${HOW_TO_ANSWER.order}` };
      }
      const shown = presentedOrder(question);
      return { answer: indexes.map((i) => shown[i] as number) };
    }
    default:
      return question satisfies never;
  }
}

/** The right answer in the letters the learner saw: "b", "a, c", "c, a, d, b". */
export function rightLetters(question: Question): string {
  if (question.kind === 'order') {
    const shown = presentedOrder(question);
    return question.items.map((_, item) => letterOf(shown.indexOf(item))).join(', ');
  }
  return correctOptions(question).map(letterOf).join(', ');
}

export interface QuizRun extends QuizProgress {
  /** True when the input ended before every question was answered. */
  stopped: boolean;
}

/** A group of questions asked under one heading: a lesson. */
export interface Section {
  heading: string;
  questions: readonly Question[];
}

/**
 * Asks each question, reads answers until one parses, tells right or wrong with the explanation,
 * and ends with "Score: x / N" (after a line per section when there are several). At the end of
 * input it stops and prints the score so far.
 */
export async function askAll(
  sections: readonly Section[],
  input: LineSource,
  write: (text: string) => void,
  style: Style = plainStyle,
): Promise<QuizRun> {
  const questions = sections.flatMap((s) => s.questions);
  const answers: Record<string, Answer> = {};
  let stopped = false;
  let number = 0;
  ask: for (const section of sections) {
    write(`\n== ${section.heading} ==\n`);
    for (const question of section.questions) {
      number += 1;
      write(`\n${renderQuestion(question, number, questions.length)}\n`);
      for (;;) {
        write(PROMPT);
        const line = await input.next();
        if (line === undefined) {
          stopped = true;
          break ask;
        }
        const parsed = parseAnswer(question, line);
        if ('error' in parsed) {
          write(`${parsed.error}\n`);
          continue;
        }
        answers[question.id] = parsed.answer;
        const verdict = isCorrect(question, parsed.answer)
          ? style.right(RIGHT)
          : style.wrong(
              `${WRONG} ${question.kind === 'order' ? 'The right order' : 'The answer'}: ${rightLetters(question)}.`,
            );
        write(`${verdict}\n${style.dim(question.explanation)}\n`);
        break;
      }
    }
  }
  const progress = scoreOf(questions, answers);
  if (stopped) write(`\n${NO_MORE_INPUT(progress.answered, progress.total)}\n`);
  if (sections.length > 1) {
    write('\n');
    for (const section of sections) {
      const { score, total } = scoreOf(section.questions, answers);
      write(`  ${score} / ${total}  ${section.heading}\n`);
    }
  }
  write(`\n${formatScore(progress)}\n`);
  return { ...progress, stopped };
}
