// The shape of a quiz file, and the validator that holds every file in quiz/ to it.
// Pure: no Node or DOM imports, so the loader, the tests and the site can all use it.

/** What every question has, whatever its kind. */
interface QuestionBase {
  /** Unique across every quiz file, kebab-case, starting with the lesson id: "04-miss-path". */
  id: string;
  /** The question as the learner reads it. `backticks` mark code. */
  prompt: string;
  /** Why the right answer is right (and the tempting wrong ones wrong); shown after answering. */
  explanation: string;
}

/** Pick exactly one option. */
export interface SingleQuestion extends QuestionBase {
  kind: 'single';
  options: string[];
  /** Index into `options` of the one correct option. */
  correct: number;
}

/** Pick every correct option; right only when the chosen set is exactly the correct set. */
export interface MultipleQuestion extends QuestionBase {
  kind: 'multiple';
  options: string[];
  /** Indexes into `options` of all the correct options. */
  correct: number[];
}

/** Put the items in order. The file lists them in the correct order; learners see them scrambled. */
export interface OrderQuestion extends QuestionBase {
  kind: 'order';
  items: string[];
}

export type Question = SingleQuestion | MultipleQuestion | OrderQuestion;
export type QuestionKind = Question['kind'];

/** One file `quiz/<lessonId>-<slug>.json`. */
export interface QuizFile {
  /** The lesson id from manifest.ts, e.g. "04". */
  lesson: string;
  questions: Question[];
}

/** One lesson's questions, with the title from manifest.ts. */
export interface LessonQuiz {
  lesson: string;
  title: string;
  questions: Question[];
}

/** Every question of the course, lesson by lesson in manifest order. */
export interface QuizBank {
  lessons: LessonQuiz[];
  /** All questions of all lessons, in order: the final quiz. */
  questions: Question[];
}

export const QUESTION_KINDS = ['single', 'multiple', 'order'] as const satisfies readonly QuestionKind[];

const FILE_FIELDS = new Set(['$schema', 'lesson', 'questions']);
const COMMON_FIELDS = ['kind', 'id', 'prompt', 'explanation'];
const FIELDS_BY_KIND: Record<QuestionKind, Set<string>> = {
  single: new Set([...COMMON_FIELDS, 'options', 'correct']),
  multiple: new Set([...COMMON_FIELDS, 'options', 'correct']),
  order: new Set([...COMMON_FIELDS, 'items']),
};
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isKind(value: unknown): value is QuestionKind {
  return (QUESTION_KINDS as readonly unknown[]).includes(value);
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

/**
 * Checks one parsed quiz file. Returns every problem found (empty when the file is valid), each
 * a full sentence starting with `fileName`, naming the question by id (or by position when it has
 * no usable id) so a maintainer can go straight to it.
 */
export function validateQuizFile(fileName: string, data: unknown, knownLessonIds: readonly string[]): string[] {
  const problems: string[] = [];
  const fileProblem = (text: string) => problems.push(`${fileName}: ${text}`);

  if (!isRecord(data)) {
    fileProblem('must be a JSON object like { "lesson": "04", "questions": [...] }.');
    return problems;
  }
  for (const key of Object.keys(data)) {
    if (!FILE_FIELDS.has(key)) fileProblem(`unknown field "${key}" (allowed: $schema, lesson, questions).`);
  }

  const lesson = data.lesson;
  if (!isNonEmptyString(lesson)) {
    fileProblem(`"lesson" is missing; set it to one of the lesson ids in manifest.ts (${knownLessonIds.join(', ')}).`);
  } else if (!knownLessonIds.includes(lesson)) {
    fileProblem(
      `unknown lesson "${lesson}"${questionsOf(data.questions)}; manifest.ts has lessons ${knownLessonIds.join(', ')}.`,
    );
  } else if (!baseName(fileName).startsWith(`${lesson}-`)) {
    fileProblem(
      `lesson "${lesson}" does not match the file name; a lesson ${lesson} quiz file is named "${lesson}-<slug>.json".`,
    );
  }

  const questions = data.questions;
  if (!Array.isArray(questions)) {
    fileProblem('"questions" must be a list of questions.');
    return problems;
  }
  if (questions.length === 0) fileProblem('"questions" is empty; a lesson quiz needs at least one question.');

  const seen = new Set<string>();
  questions.forEach((raw, index) => {
    const id = isRecord(raw) && isNonEmptyString(raw.id) ? raw.id : undefined;
    const label = id === undefined ? `question #${index + 1} (no id)` : `question "${id}"`;
    const problem = (text: string) => problems.push(`${fileName}: ${label}: ${text}`);

    if (!isRecord(raw)) {
      problem('must be an object with kind, id, prompt, explanation.');
      return;
    }
    if (id === undefined) {
      problem('"id" is missing; give it a unique kebab-case id starting with the lesson id, e.g. "04-miss-path".');
    } else {
      if (seen.has(id)) problem('duplicate id; every question id must be unique.');
      seen.add(id);
      if (!ID_PATTERN.test(id)) problem('"id" must be kebab-case (lowercase letters, digits, dashes).');
      else if (isNonEmptyString(lesson) && !id.startsWith(`${lesson}-`))
        problem(`"id" must start with the lesson id, "${lesson}-".`);
    }
    if (!isNonEmptyString(raw.prompt)) problem('"prompt" is missing or empty.');
    if (!isNonEmptyString(raw.explanation)) problem('"explanation" is missing or empty; say why the answer is right.');

    if (!isKind(raw.kind)) {
      problem(`unknown kind ${JSON.stringify(raw.kind)}; use one of ${QUESTION_KINDS.join(', ')}.`);
      return;
    }
    const allowed = FIELDS_BY_KIND[raw.kind];
    for (const key of Object.keys(raw)) {
      if (!allowed.has(key))
        problem(`unknown field "${key}" for a ${raw.kind} question (allowed: ${[...allowed].join(', ')}).`);
    }

    switch (raw.kind) {
      case 'single':
      case 'multiple':
        checkOptions(raw, raw.kind, problem);
        break;
      case 'order':
        checkItems(raw.items, problem);
        break;
      default:
        raw.kind satisfies never;
    }
  });
  return problems;
}

/** " (questions "a", "b")": which questions a file-level problem strands, for the message. */
function questionsOf(questions: unknown): string {
  if (!Array.isArray(questions)) return '';
  const ids = questions.map((q, i) => (isRecord(q) && isNonEmptyString(q.id) ? `"${q.id}"` : `#${i + 1}`));
  if (ids.length === 0) return '';
  return ` (for question${ids.length === 1 ? '' : 's'} ${ids.join(', ')})`;
}

function checkTexts(list: unknown, field: string, min: number, problem: (text: string) => void): list is string[] {
  if (!Array.isArray(list) || list.length === 0) {
    problem(`"${field}" is missing or empty.`);
    return false;
  }
  let ok = true;
  list.forEach((text, i) => {
    if (!isNonEmptyString(text)) {
      problem(`${field}[${i}] must be a non-empty string.`);
      ok = false;
    }
  });
  if (list.length < min) {
    problem(`"${field}" needs at least ${min} entries, has ${list.length}.`);
    ok = false;
  }
  const texts = list.filter(isNonEmptyString).map((t) => t.trim());
  const duplicates = texts.filter((t, i) => texts.indexOf(t) !== i);
  for (const text of new Set(duplicates)) problem(`duplicate entry in "${field}": ${JSON.stringify(text)}.`);
  return ok && duplicates.length === 0;
}

function checkOptions(
  raw: Record<string, unknown>,
  kind: 'single' | 'multiple',
  problem: (text: string) => void,
): void {
  const optionsOk = checkTexts(raw.options, 'options', 2, problem);
  const count = Array.isArray(raw.options) ? raw.options.length : 0;
  const inRange = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) < count;
  const correct = raw.correct;

  if (correct === undefined || (Array.isArray(correct) && correct.length === 0)) {
    problem(
      kind === 'single'
        ? 'no correct answer; set "correct" to the index (from 0) of the right option.'
        : 'no correct answer; set "correct" to the list of indexes (from 0) of the right options.',
    );
    return;
  }
  if (kind === 'single') {
    if (Array.isArray(correct)) {
      problem(
        correct.length > 1
          ? `a single question has exactly one correct answer, but "correct" lists ${correct.length}; use kind "multiple" or pick one.`
          : '"correct" must be a number (an option index), not a list.',
      );
      return;
    }
    if (!Number.isInteger(correct)) problem('"correct" must be an option index (0, 1, 2...).');
    else if (optionsOk && !inRange(correct))
      problem(`correct answer ${String(correct)} is out of range; options are numbered 0 to ${count - 1}.`);
    return;
  }
  if (!Array.isArray(correct)) {
    problem('"correct" must be a list of option indexes, e.g. [0, 2].');
    return;
  }
  for (const n of correct) {
    if (!Number.isInteger(n)) problem(`"correct" contains ${JSON.stringify(n)}, which is not an option index.`);
    else if (optionsOk && !inRange(n))
      problem(`correct answer ${String(n)} is out of range; options are numbered 0 to ${count - 1}.`);
  }
  if (new Set(correct).size !== correct.length) problem('"correct" lists the same option twice.');
}

function checkItems(items: unknown, problem: (text: string) => void): void {
  checkTexts(items, 'items', 2, problem);
}

/**
 * The largest share of a bank's single-choice questions whose correct option may be the longest one.
 * Above it, picking the longest option scores better than knowing the material (chance, with four
 * options, is 25 %).
 */
export const MAX_LONGEST_CORRECT_SHARE = 0.3;

/** Length in characters (code points, so an emoji or accented letter counts once). */
function charactersIn(text: string): number {
  return [...text].length;
}

/** Whether the correct option is at least as long as every other option: a learner picking the longest would get it right. */
export function correctIsLongest(question: SingleQuestion): boolean {
  const right = charactersIn(question.options[question.correct] ?? '');
  return question.options.every((text, i) => i === question.correct || charactersIn(text) <= right);
}

/**
 * The bank-wide length rule: returns a one-line problem (starting with `where`, e.g. the quiz folder)
 * when the correct option is the longest in more than MAX_LONGEST_CORRECT_SHARE of the single-choice
 * questions, naming those questions (with their file, from `fileOf`) and how many to fix; undefined otherwise.
 */
export function longestAnswerProblem(
  questions: readonly Question[],
  where: string,
  fileOf: (id: string) => string | undefined = () => undefined,
): string | undefined {
  const singles = questions.filter((q): q is SingleQuestion => q.kind === 'single');
  const longest = singles.filter(correctIsLongest);
  // A small epsilon keeps 0.3 × 10 at 3, not 2.9999999999999996.
  const allowed = Math.floor(singles.length * MAX_LONGEST_CORRECT_SHARE + 1e-9);
  if (longest.length <= allowed) return undefined;
  const percent = (n: number) => `${Math.round((100 * n) / singles.length)} %`;
  const named = longest.map((q) => {
    const file = fileOf(q.id);
    return file === undefined ? `"${q.id}"` : `"${q.id}" (${file})`;
  });
  return (
    `${where}: the correct option is the longest in ${longest.length} of ${singles.length} single-choice questions ` +
    `(${percent(longest.length)}); at most ${allowed} (${Math.round(MAX_LONGEST_CORRECT_SHARE * 100)} %) may be, or ` +
    `learners can find answers by their length. Make a wrong option longer than the right one (or the right one ` +
    `shorter) in at least ${longest.length - allowed} of: ${named.join(', ')}.`
  );
}
