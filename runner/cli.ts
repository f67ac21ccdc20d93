// `npm run learn [command]`: the guided runner. This file only parses the command line; each
// command lives in runner/commands/ and is loaded only when asked for, so `hint` starts fast.
import { parseArgs } from 'node:util';
import { red } from '../tooling/style.ts';
import { CourseError, loadCourse } from './course.ts';

export const USAGE = `Usage
  npm run learn                   work through the exercises: checks your file on every save
  npm run learn -- <command>      one thing, then exit

Commands
  list                            every exercise with its status, and your progress
  next                            the first exercise not done yet, with its task
  hint <NN>                       the next hint for an exercise (all of them once it is done)
  reset <NN> [--yes]              put the stub back (your version is kept in .course/backups/)
  solution <NN>                   the reference solution beside your code, once yours passes
  doctor                          check Node, Docker or your servers, and say how to fix problems

Options
  --manual                        check when you press Enter instead of on every save (for folders where
                                  file watching fails: network drives, WSL with the course on a Windows path)
  -y, --yes                       reset without asking
  -h, --help                      show this help

Keys while learning
  Enter check now · n next exercise · h next hint · l list · r reset (asks first) · s solution · t task · q quit

Examples
  npm run learn
  npm run learn -- list
  npm run learn -- --manual
  npm run learn -- hint 04
  npm run learn -- reset cache-aside
  npm run doctor`;

export const UNKNOWN_COMMAND = (name: string) => `No command "${name}". See npm run learn -- --help`;
export const TOO_MANY = (command: string) => `Too many arguments for ${command}. See npm run learn -- --help`;

type Command = 'learn' | 'list' | 'next' | 'hint' | 'reset' | 'solution' | 'doctor';
const COMMANDS: readonly Command[] = ['learn', 'list', 'next', 'hint', 'reset', 'solution', 'doctor'];
/** How many arguments each command takes after its name. */
const ARITY = { learn: 0, list: 0, next: 0, hint: 1, reset: 1, solution: 1, doctor: 0 } as const satisfies Record<
  Command,
  number
>;

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', short: 'y' },
        help: { type: 'boolean', short: 'h' },
        manual: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [name = 'learn', ...rest] = positionals;
  const command = COMMANDS.find((c) => c === name);
  if (!command) {
    console.error(UNKNOWN_COMMAND(name));
    process.exitCode = 1;
    return;
  }
  if (rest.length > ARITY[command]) {
    console.error(TOO_MANY(command));
    process.exitCode = 1;
    return;
  }
  if (command === 'doctor') {
    await (await import('./commands/doctor.ts')).doctor();
    return;
  }
  let course;
  try {
    // The one place the runner reads its environment: what the learner chose, passed down as values.
    course = loadCourse({ target: process.env.COURSE_TARGET, only: process.env.COURSE_ONLY });
  } catch (error) {
    if (!(error instanceof CourseError)) throw error;
    console.error(`${red('✗')} ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const [selector] = rest;
  switch (command) {
    case 'learn':
      return (await import('./commands/learn.ts')).learn(course, { manual: values.manual === true });
    case 'list':
      return (await import('./commands/list.ts')).list(course);
    case 'next':
      return (await import('./commands/next.ts')).next(course);
    case 'hint':
      return (await import('./commands/hint.ts')).hint(course, selector);
    case 'reset':
      return (await import('./commands/reset.ts')).reset(course, selector, values.yes === true);
    case 'solution':
      return (await import('./commands/solution.ts')).solution(course, selector);
    default:
      command satisfies never;
  }
}

await main(process.argv.slice(2));
