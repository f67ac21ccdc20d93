// What a quiz question shows while it is answered: how to answer it, whether a draft answer
// may be checked, and how each option reads once the answer is locked.
import type { Question } from '../../../quiz/schema.ts';
import { correctOptions, type Answer } from '../../../quiz/score.ts';

export const HOW_TO: Record<Question['kind'], string> = {
  single: 'Choose one answer, then Check.',
  multiple: 'Choose every correct answer, then Check.',
  order: 'Put the steps in order, first at the top, with the Up and Down buttons, then Check.',
};

export type OptionState = 'right' | 'missed' | 'wrong' | 'neutral';

export const OPTION_NOTE: Record<OptionState, string> = {
  right: 'your answer, correct',
  missed: 'correct answer',
  wrong: 'your answer, wrong',
  neutral: '',
};

/** What the learner has chosen but not yet checked, by question id. */
export interface Drafts {
  singles: Record<string, number | undefined>;
  multiples: Record<string, number[]>;
  orders: Record<string, number[]>;
}

export function isReady(q: Question, drafts: Drafts): boolean {
  switch (q.kind) {
    case 'single':
      return drafts.singles[q.id] !== undefined;
    case 'multiple':
      return (drafts.multiples[q.id] ?? []).length > 0;
    case 'order':
      return true;
    default:
      return q satisfies never;
  }
}

export function draftAnswer(q: Question, drafts: Drafts): Answer {
  switch (q.kind) {
    case 'single':
      return drafts.singles[q.id] as number;
    case 'multiple':
      return [...(drafts.multiples[q.id] ?? [])].sort((a, b) => a - b);
    case 'order':
      return [...(drafts.orders[q.id] ?? [])];
    default:
      return q satisfies never;
  }
}

/** How an option reads once the answer is locked (`answer` undefined: still open). */
export function stateOfOption(q: Question, answer: Answer | undefined, option: number): OptionState {
  if (answer === undefined) return 'neutral';
  const chosen = typeof answer === 'number' ? answer === option : answer.includes(option);
  if (correctOptions(q).includes(option)) return chosen ? 'right' : 'missed';
  return chosen ? 'wrong' : 'neutral';
}
