// The one scoring module: the terminal quiz and the site's Quiz components all score through it.
// Pure and deterministic: no Node or DOM imports, no randomness, no clock.
import type { OrderQuestion, Question } from './schema.ts';

/**
 * A learner's answer. `single`: the chosen option index. `multiple`: the chosen option indexes
 * (any order). `order`: item indexes (positions in the file's `items`) in the order the learner put them.
 */
export type Answer = number | readonly number[];

/** Answers given so far, by question id; unanswered questions are absent. */
export type Answers = Readonly<Record<string, Answer | undefined>>;

/** A result: how many right out of how many questions. */
export interface Score {
  score: number;
  total: number;
}

export interface QuizProgress extends Score {
  /** How many questions have an answer (right or wrong). */
  answered: number;
}

/** Whether `answer` is the right answer to `question`; an absent or malformed answer is wrong. */
export function isCorrect(question: Question, answer: Answer | undefined): boolean {
  if (answer === undefined) return false;
  switch (question.kind) {
    case 'single':
      return answer === question.correct;
    case 'multiple': {
      if (typeof answer === 'number') return false;
      const chosen = new Set(answer);
      return chosen.size === question.correct.length && question.correct.every((i) => chosen.has(i));
    }
    case 'order':
      return (
        typeof answer !== 'number' &&
        answer.length === question.items.length &&
        answer.every((item, position) => item === position)
      );
    default:
      return question satisfies never;
  }
}

/** Scores answers against questions; answers to questions not in the list are ignored. */
export function scoreOf(questions: readonly Question[], answers: Answers): QuizProgress {
  let score = 0;
  let answered = 0;
  for (const question of questions) {
    const answer = answers[question.id];
    if (answer === undefined) continue;
    answered += 1;
    if (isCorrect(question, answer)) score += 1;
  }
  return { score, total: questions.length, answered };
}

/** "Score: 3 / 5" */
export function formatScore({ score, total }: Score): string {
  return `Score: ${score} / ${total}`;
}

/** "Best: 4 / 5", or "Best: not taken yet" when there is none. */
export function formatBest(best: Score | null | undefined): string {
  return best ? `Best: ${best.score} / ${best.total}` : 'Best: not taken yet';
}

/**
 * The best score to remember after `current`. A best recorded when the quiz had a different number
 * of questions no longer compares, so the current result replaces it.
 */
export function bestOf(previous: Score | null | undefined, current: Score): Score {
  if (!previous || previous.total !== current.total || current.score > previous.score) {
    return { score: current.score, total: current.total };
  }
  return { score: previous.score, total: previous.total };
}

/** Reads a stored best score (e.g. from localStorage); anything malformed is treated as none. */
export function parseBest(raw: string | null | undefined): Score | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { score, total } = value as Record<string, unknown>;
    if (!Number.isInteger(score) || !Number.isInteger(total)) return null;
    const s = score as number;
    const t = total as number;
    return s >= 0 && t > 0 && s <= t ? { score: s, total: t } : null;
  } catch {
    return null;
  }
}

/** The storage key of a quiz's best score: a lesson's ("04") or, with no lesson, the final quiz's. */
export function bestKey(lesson?: string): string {
  return `course-quiz:best:${lesson ?? 'final'}`;
}

/** "a", "b", "c"... for option or item number `index` (from 0). */
export function letterOf(index: number): string {
  return String.fromCharCode(97 + index);
}

/** Indexes of the options that are right, for showing the answer after a wrong one. */
export function correctOptions(question: Question): number[] {
  switch (question.kind) {
    case 'single':
      return [question.correct];
    case 'multiple':
      return [...question.correct].sort((a, b) => a - b);
    case 'order':
      return question.items.map((_, i) => i);
    default:
      return question satisfies never;
  }
}

/**
 * The order in which an order question's items are first shown: a permutation of item indexes,
 * the same for a given question every time (in the terminal and on the site), never already solved.
 */
export function presentedOrder(question: OrderQuestion): number[] {
  const n = question.items.length;
  const order = question.items.map((_, i) => i);
  let seed = hash(question.id);
  for (let i = n - 1; i > 0; i -= 1) {
    seed = next(seed);
    const j = (seed >>> 16) % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  if (n > 1 && order.every((item, position) => item === position)) order.push(order.shift() as number);
  return order;
}

// FNV-1a and a small LCG: enough to scramble a handful of items deterministically.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function next(seed: number): number {
  return (Math.imul(seed, 1664525) + 1013904223) >>> 0;
}

/** Where one quiz's given answers are kept (localStorage): a lesson's, or the final quiz's. */
export function answersKey(lesson?: string): string {
  return `course-quiz:answers:${lesson ?? 'final'}`;
}

/** Whether `answer` has the shape of an answer to `question` (right or wrong). */
export function fitsQuestion(question: Question, answer: unknown): answer is Answer {
  const index = (n: unknown, size: number) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < size;
  switch (question.kind) {
    case 'single':
      return index(answer, question.options.length);
    case 'multiple':
      return (
        Array.isArray(answer) &&
        answer.length > 0 &&
        answer.every((n) => index(n, question.options.length)) &&
        new Set(answer).size === answer.length
      );
    case 'order':
      return (
        Array.isArray(answer) &&
        answer.length === question.items.length &&
        answer.every((n) => index(n, question.items.length)) &&
        new Set(answer).size === answer.length
      );
    default:
      return question satisfies never;
  }
}

/**
 * Reads stored answers: only those of questions still in the quiz, each still fitting its
 * question (a question changed since it was answered loses its answer); anything malformed is none.
 */
export function parseAnswers(raw: string | null | undefined, questions: readonly Question[]): Record<string, Answer> {
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const stored = value as Record<string, unknown>;
  const kept: Record<string, Answer> = {};
  for (const q of questions) {
    const answer = stored[q.id];
    if (fitsQuestion(q, answer)) kept[q.id] = answer;
  }
  return kept;
}
