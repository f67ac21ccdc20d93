// Reads and validates every quiz file. Node-only (it reads the disk): the site gets the bank through
// docs/quiz.data.ts at build time, never by importing this file in browser code.
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lessons } from '../manifest.ts';
import {
  longestAnswerProblem,
  validateQuizFile,
  type LessonQuiz,
  type Question,
  type QuizBank,
  type QuizFile,
} from './schema.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The quiz bank is invalid. `problems` lists each one; the message has one per line, each starting with the file name
 * (or, for a rule about the whole bank, the folder's).
 */
export class QuizError extends Error {
  override name = 'QuizError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export const defaultQuizDir = fileURLToPath(new URL('.', import.meta.url));

const matchesSchema = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(defaultQuizDir, 'quiz.schema.json'), 'utf8')) as object,
);

/**
 * Loads every `*.json` in `dir` (default: this quiz/ folder; quiz.schema.json aside), validates all of them and returns the
 * questions lesson by lesson in manifest order. Throws one QuizError listing every problem found.
 */
export function loadQuizBank(dir: string = defaultQuizDir): QuizBank {
  const folder = displayFolder(dir);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
      .sort();
  } catch (error) {
    throw new QuizError([`${folder}: cannot read the quiz folder: ${(error as Error).message}`]);
  }

  const problems: string[] = [];
  const knownIds = lessons.map((l) => l.id);
  const fileOfLesson = new Map<string, string>();
  // Lessons some file is meant for, valid or not: those are broken, not missing.
  const claimed = new Set<string>();
  const fileOfQuestion = new Map<string, string>();
  const byLesson = new Map<string, Question[]>();

  for (const name of names) {
    const shown = `${folder}/${name}`;
    claimed.add(name.split('-')[0] ?? name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      problems.push(`${shown}: invalid JSON: ${(error as Error).message}`);
      continue;
    }
    if (typeof data === 'object' && data !== null && 'lesson' in data && typeof data.lesson === 'string') {
      claimed.add(data.lesson);
    }
    const fileProblems = validateQuizFile(shown, data, knownIds);
    // The JSON Schema editors complete from (each file's "$schema" line) must agree: whatever it
    // finds that the checks above did not name is reported too, in its own words.
    if (fileProblems.length === 0 && !matchesSchema(data)) {
      for (const e of matchesSchema.errors ?? [])
        fileProblems.push(`${shown}: ${e.instancePath || '/'} ${e.message} (quiz.schema.json)`);
    }
    problems.push(...fileProblems);
    if (fileProblems.length > 0) continue;

    const file = data as QuizFile;
    const lesson = lessons.find((l) => l.id === file.lesson);
    const expected = lesson ? `${lesson.id}-${lesson.slug}.json` : undefined;
    if (expected && name !== expected) {
      problems.push(
        `${shown}: lesson ${file.lesson}'s quiz file must be named "${expected}" (the lesson's id and slug in manifest.ts).`,
      );
    }
    const other = fileOfLesson.get(file.lesson);
    if (other) {
      problems.push(`${shown}: lesson ${file.lesson} already has a quiz file, ${other}; keep one file per lesson.`);
      continue;
    }
    fileOfLesson.set(file.lesson, shown);
    for (const question of file.questions) {
      const first = fileOfQuestion.get(question.id);
      if (first) problems.push(`${shown}: question "${question.id}": duplicate id, already used in ${first}.`);
      else fileOfQuestion.set(question.id, shown);
    }
    byLesson.set(file.lesson, file.questions);
  }

  for (const lesson of lessons) {
    if (!claimed.has(lesson.id)) {
      problems.push(
        `${folder}/${lesson.id}-${lesson.slug}.json: missing; lesson ${lesson.id} ("${lesson.title}") in manifest.ts has no quiz file.`,
      );
    }
  }
  // Across the whole bank (the files that loaded), the right answer must not be findable by its length.
  const lengthProblem = longestAnswerProblem([...byLesson.values()].flat(), folder, (id) => fileOfQuestion.get(id));
  if (lengthProblem) problems.push(lengthProblem);
  if (problems.length > 0) throw new QuizError(problems);

  const lessonQuizzes: LessonQuiz[] = lessons.map((l) => ({
    lesson: l.id,
    title: l.title,
    questions: byLesson.get(l.id) ?? [],
  }));
  return { lessons: lessonQuizzes, questions: lessonQuizzes.flatMap((l) => l.questions) };
}

/** The folder relative to the working directory ("quiz" from the repository root): short names in messages. */
function displayFolder(dir: string): string {
  const absolute = resolve(dir);
  const rel = relative(process.cwd(), absolute);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absolute : rel.split('\\').join('/');
}
