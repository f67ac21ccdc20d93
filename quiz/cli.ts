// `npm run quiz [lesson]`: the course's quizzes in the terminal. This file only parses the command
// line and wires standard input to the question loop in ask.ts.
import { createInterface } from 'node:readline';
import { lessons } from '../manifest.ts';
import { askAll, type LineSource, type Section, type Style } from './ask.ts';
import { loadQuizBank, QuizError } from './load.ts';
import type { LessonQuiz } from './schema.ts';
import { dim, green, isColorSupported, red } from '../tooling/style.ts';

const LESSON_LIST = lessons.map((l) => `  ${l.id}  ${l.slug.padEnd(18)} ${l.title}`).join('\n');

export const HELP = `Usage
  npm run quiz [lesson]

Asks the course's quiz questions and scores your answers: every lesson in order, or only the
lesson you name (by number or slug). Type letters to answer; end the input (Ctrl+D) to stop early.

Options
  -h, --help   Show this help.

Lessons
${LESSON_LIST}

Examples
  npm run quiz                 every question, lesson by lesson
  npm run quiz 04              the cache-aside lesson only
  npm run quiz cache-aside     the same, by slug
  printf 'b\\na c\\n' | npm run quiz 04   answers from a pipe, one per line`;

export const UNKNOWN_LESSON = (selector: string) =>
  `Unknown lesson "${selector}". Choose one of these (by number or slug):\n${LESSON_LIST}`;
export const UNKNOWN_OPTION = (option: string) =>
  `Unknown option "${option}". Run \`npm run quiz -- --help\` for usage.`;
export const TOO_MANY_ARGUMENTS = 'Give at most one lesson, e.g. `npm run quiz 04`.';
export const INVALID_BANK = 'The quiz files have problems, so the quiz cannot start:';

function findLesson(bank: LessonQuiz[], selector: string): LessonQuiz | undefined {
  const s = selector.trim().toLowerCase();
  const lesson = lessons.find((l) => l.id === s.padStart(2, '0') || l.slug === s || `${l.id}-${l.slug}` === s);
  return lesson && bank.find((q) => q.lesson === lesson.id);
}

function linesOf(input: NodeJS.ReadStream): { source: LineSource; close(): void } {
  // Plain line mode on a terminal too: the terminal's own line editing is enough, and a pipe works the same.
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    source: {
      async next() {
        const result = await lines.next();
        // A terminal shows what was typed; answers from a pipe are echoed so the transcript reads the same.
        if (!input.isTTY) process.stdout.write(result.done ? '\n' : `${result.value}\n`);
        return result.done ? undefined : result.value;
      },
    },
    close: () => rl.close(),
  };
}

/** The course's terminal colours (they honour NO_COLOR and FORCE_COLOR), or none when they are off. */
function terminalStyle(): Style | undefined {
  return isColorSupported ? { right: green, wrong: red, dim } : undefined;
}

async function main(args: readonly string[]): Promise<void> {
  const options = args.filter((a) => a.startsWith('-'));
  const positional = args.filter((a) => !a.startsWith('-'));
  if (options.some((o) => o === '-h' || o === '--help')) {
    console.log(HELP);
    return;
  }
  if (options.length > 0) {
    console.error(UNKNOWN_OPTION(options[0] as string));
    process.exitCode = 1;
    return;
  }
  if (positional.length > 1) {
    console.error(TOO_MANY_ARGUMENTS);
    process.exitCode = 1;
    return;
  }

  let bank;
  try {
    bank = loadQuizBank();
  } catch (error) {
    if (!(error instanceof QuizError)) throw error;
    console.error(`${INVALID_BANK}\n${error.message}`);
    process.exitCode = 1;
    return;
  }

  const selector = positional[0];
  let chosen = bank.lessons;
  if (selector !== undefined) {
    const lesson = findLesson(bank.lessons, selector);
    if (!lesson) {
      console.error(UNKNOWN_LESSON(selector));
      process.exitCode = 1;
      return;
    }
    chosen = [lesson];
  }

  const sections: Section[] = chosen.map((l) => ({
    heading: `Lesson ${l.lesson}: ${l.title}`,
    questions: l.questions,
  }));
  const { source, close } = linesOf(process.stdin);
  try {
    await askAll(sections, source, (text) => process.stdout.write(text), terminalStyle());
  } finally {
    close();
  }
}

await main(process.argv.slice(2));
