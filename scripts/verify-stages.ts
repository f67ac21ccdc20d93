// The stages of `npm run verify`, each proving one part of the course and counting what passed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exercises, folderOf, lessons } from '../manifest.ts';
import { bold, green, red } from '../tooling/style.ts';
import { runChecks } from '../tooling/check-run.ts';
import { DEFAULT_POSTGRES_IMAGE, DEFAULT_REDIS_IMAGE } from '../tooling/images.ts';
import { projectRoot, type Services } from '../tooling/services.ts';

interface Tally {
  passed: number;
  failed: number;
}

export const tally: Tally = { passed: 0, failed: 0 };
export const problems: string[] = [];

export function pass(what: string, count = 1): void {
  tally.passed += count;
  console.log(`  ${green('✓')} ${what}`);
}

export function fail(what: string, detail = ''): void {
  tally.failed += 1;
  problems.push(what);
  console.log(`  ${red('✗')} ${what}${detail ? `\n${detail.replace(/^/gm, '      ')}` : ''}`);
}

export function stage(title: string): void {
  console.log(`\n${bold(title)}`);
}

/** Runs a command, streaming nothing unless it fails; resolves with its exit code and output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function checkManifest(): Promise<void> {
  stage('Manifest agrees with the files');
  const ids = exercises.map((e) => e.id);
  const slugs = exercises.map((e) => e.slug);
  if (new Set(ids).size !== ids.length || new Set(slugs).size !== slugs.length)
    fail('exercise ids and slugs are unique', `ids ${ids.join(' ')}; slugs ${slugs.join(' ')}`);
  else pass(`${exercises.length} exercises with unique ids and slugs`);
  const sorted = [...ids].sort();
  if (ids.some((id, i) => id !== sorted[i] || !/^\d\d$/.test(id)))
    fail('exercise ids are two digits, in order', ids.join(' '));
  for (const exercise of exercises) {
    const folder = folderOf(exercise);
    const faults: string[] = [];
    const stub = join(projectRoot, 'exercises', folder, exercise.file);
    const solution = join(projectRoot, 'solutions', folder, exercise.file);
    for (const file of [
      stub,
      solution,
      join(projectRoot, 'exercises', folder, 'README.md'),
      join(projectRoot, 'checks', `${folder}.check.ts`),
    ]) {
      if (!existsSync(file)) faults.push(`missing ${file.slice(projectRoot.length)}`);
    }
    if (!lessons.some((l) => l.id === exercise.lesson))
      faults.push(`lesson "${exercise.lesson}" is not in the lessons list`);
    const hints: readonly string[] = exercise.hints;
    if (hints.length === 0 || hints.some((h) => h.trim() === ''))
      faults.push('has an empty hint list or an empty hint');
    if (faults.length === 0) {
      if (!readFileSync(stub, 'utf8').includes('// TODO:'))
        faults.push(`exercises/${folder}/${exercise.file} has no "// TODO:" marking where the learner works`);
      for (const [tree, file] of [
        ['exercises', stub],
        ['solutions', solution],
      ] as const) {
        try {
          const names = Object.keys(await import(pathToFileURL(file).href)).sort();
          const wanted = [...exercise.exports].sort();
          if (names.join() !== wanted.join())
            faults.push(
              `${tree}/${folder}/${exercise.file} exports ${names.join(', ') || 'nothing'}; the manifest says ${wanted.join(', ')}`,
            );
        } catch (error) {
          faults.push(`${tree}/${folder}/${exercise.file} does not load: ${(error as Error).message}`);
        }
      }
    }
    if (faults.length) fail(`exercise ${folder}`, faults.join('\n'));
    else pass(`exercise ${folder}: stub, task, solution and checks present; exports ${exercise.exports.join(', ')}`);
  }
  const known = new Set(exercises.map(folderOf));
  const strays = ['exercises', 'solutions']
    .flatMap((tree) =>
      readdirSync(join(projectRoot, tree), { withFileTypes: true })
        .filter((d) => d.isDirectory() && !known.has(d.name))
        .map((d) => `${tree}/${d.name}`),
    )
    .concat(
      readdirSync(join(projectRoot, 'checks'))
        .filter((f) => f.endsWith('.check.ts') && !known.has(f.replace('.check.ts', '')))
        .map((f) => `checks/${f}`),
    );
  if (strays.length) fail('no exercise folder or check file outside the manifest', strays.join('\n'));
  else pass('no exercise folder or check file outside the manifest');
  const missingPages = lessons.filter((l) => !existsSync(join(projectRoot, 'docs', 'lessons', `${l.id}-${l.slug}.md`)));
  // A lesson's exercises are listed from the manifest by <ExerciseList>: a new exercise appears there by itself.
  const unlisted = lessons.filter(
    (l) =>
      exercises.some((e) => e.lesson === l.id) &&
      existsSync(join(projectRoot, 'docs', 'lessons', `${l.id}-${l.slug}.md`)) &&
      !readFileSync(join(projectRoot, 'docs', 'lessons', `${l.id}-${l.slug}.md`), 'utf8').includes(
        `<ExerciseList lesson="${l.id}" />`,
      ),
  );
  // Current APIs only: node-redis 5 deprecates the short { EX: n } option (use expiration, or setEx).
  const taught = [
    'manifest.ts',
    ...['docs/lessons', 'docs', 'solutions', 'exercises', 'quiz'].flatMap((dir) =>
      readdirSync(join(projectRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(md|ts|json)$/.test(f) && !f.includes('.vitepress'))
        .map((f) => join(dir, f)),
    ),
  ];
  const deprecated = [...new Set(taught)].filter((f) =>
    /\{\s*[PE]X\s*:/.test(readFileSync(join(projectRoot, f), 'utf8')),
  );
  if (deprecated.length) fail('the course teaches no deprecated node-redis option ({ EX: … })', deprecated.join('\n'));
  else pass('no deprecated node-redis option ({ EX: … }) in lessons, solutions, stubs, hints or quizzes');
  // Every lesson opens with what it teaches and its reading time.
  const noIntro = lessons.filter((l) => {
    const page = join(projectRoot, 'docs', 'lessons', `${l.id}-${l.slug}.md`);
    if (!existsSync(page)) return false;
    const text = readFileSync(page, 'utf8');
    return !/^---\n(?:[\s\S]*?\n)?teaches:\n\s+- /.test(text) || !text.includes('<LessonIntro />');
  });
  if (noIntro.length)
    fail(
      'every lesson opens with what it teaches',
      noIntro
        .map(
          (l) => `docs/lessons/${l.id}-${l.slug}.md needs "teaches:" frontmatter and <LessonIntro /> after its title`,
        )
        .join('\n'),
    );
  else pass('every lesson opens with what it teaches and its reading time (<LessonIntro />)');
  if (unlisted.length)
    fail(
      'every lesson lists its exercises',
      unlisted.map((l) => `docs/lessons/${l.id}-${l.slug}.md has no <ExerciseList lesson="${l.id}" />`).join('\n'),
    );
  else pass('every lesson lists its exercises from the manifest (<ExerciseList>)');
  if (missingPages.length)
    fail('every lesson has its page', missingPages.map((l) => `missing docs/lessons/${l.id}-${l.slug}.md`).join('\n'));
  else pass(`${lessons.length} lesson pages present`);
  const compose = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8');
  if (
    !compose.includes(`\${POSTGRES_IMAGE:-${DEFAULT_POSTGRES_IMAGE}}`) ||
    !compose.includes(`\${REDIS_IMAGE:-${DEFAULT_REDIS_IMAGE}}`)
  ) {
    fail(
      'docker-compose.yml uses the images pinned in tooling/images.ts',
      `expected \${POSTGRES_IMAGE:-${DEFAULT_POSTGRES_IMAGE}} and \${REDIS_IMAGE:-${DEFAULT_REDIS_IMAGE}}`,
    );
  } else pass('docker-compose.yml uses the pinned images');
}

export async function checkTypes(): Promise<void> {
  stage('Type check');
  const { code, output } = await run('npx', ['tsc', '--noEmit']);
  if (code === 0) pass('tsc --noEmit (strict, noUncheckedIndexedAccess)');
  else fail('tsc --noEmit', tail(output));
}

export async function checkQuiz(): Promise<void> {
  stage('Quiz bank');
  try {
    const { loadQuizBank } = await import('../quiz/load.ts');
    const bank = await loadQuizBank();
    pass(`${bank.questions.length} questions in ${bank.lessons.length} lesson files, all valid`);
  } catch (error) {
    fail('quiz files are valid', (error as Error).message);
  }
}

export async function checkExercises(services: Services): Promise<void> {
  stage('Every solution passes its checks');
  const solved = await runChecks({ target: 'solutions', print: false, services });
  for (const result of solved.results.sort((a, b) => a.exercise.id.localeCompare(b.exercise.id))) {
    const name = `solutions/${folderOf(result.exercise)}`;
    if (result.failed === 0 && result.passed > 0) pass(`${name}: ${result.passed} checks pass`, result.passed);
    else {
      tally.passed += result.passed;
      fail(
        `${name}: ${result.failed} of ${result.passed + result.failed} checks fail`,
        [result.fileError, ...result.checks.filter((c) => !c.passed).map((c) => `✗ ${c.name}\n${c.message ?? ''}`)]
          .filter(Boolean)
          .join('\n'),
      );
    }
  }
  for (const exercise of exercises) {
    if (!solved.results.some((r) => r.exercise.id === exercise.id))
      fail(`solutions/${folderOf(exercise)}: its checks did not run`);
  }

  stage('Every untouched stub fails every one of its checks');
  const stubs = await runChecks({ target: 'exercises', print: false, services });
  for (const result of stubs.results.sort((a, b) => a.exercise.id.localeCompare(b.exercise.id))) {
    const name = `exercises/${folderOf(result.exercise)}`;
    const passing = result.checks.filter((c) => c.passed);
    if (passing.length === 0 && result.failed > 0)
      pass(`${name}: all ${result.failed} checks fail against the stub`, result.failed);
    else
      fail(
        `${name}: ${passing.length} check(s) pass against the untouched stub (a check that cannot fail proves nothing)`,
        passing.map((c) => `✓ ${c.name}`).join('\n'),
      );
  }
  for (const exercise of exercises) {
    if (!stubs.results.some((r) => r.exercise.id === exercise.id))
      fail(`exercises/${folderOf(exercise)}: its checks did not run`);
  }
}

/** Runs a Vitest config in a child process and counts its tests from the JSON report. */
export async function vitestSuite(title: string, config: string, env: NodeJS.ProcessEnv): Promise<void> {
  stage(title);
  const report = join(projectRoot, '.course', `${config.replace(/\W+/g, '-')}.json`);
  rmSync(report, { force: true });
  const { code, output } = await run(
    'npx',
    ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  if (!existsSync(report)) {
    fail(`${config} ran`, tail(output));
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: {
      name: string;
      assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
    }[];
  };
  if (json.numPassedTests > 0) pass(`${json.numPassedTests} tests pass (${config})`, json.numPassedTests);
  for (const file of json.testResults) {
    for (const t of file.assertionResults.filter((a) => a.status === 'failed')) {
      fail(`${file.name.slice(projectRoot.length)} › ${t.fullName}`, tail(t.failureMessages.join('\n'), 15));
    }
  }
  if (code !== 0 && json.numFailedTests === 0) fail(`${config} exited with code ${code}`, tail(output));
}

export async function checkSite(env: NodeJS.ProcessEnv): Promise<void> {
  stage('The site builds (no dead link, no missing code region)');
  const started = performance.now();
  const { code, output } = await run('npx', ['vitepress', 'build', 'docs']);
  if (code === 0) pass(`vitepress build docs (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  else {
    fail('vitepress build docs', tail(output));
    return;
  }
  await vitestSuite('The site works in Chromium', 'vitest.browser.config.ts', env);
}

export async function checkLint(): Promise<void> {
  stage('Lint (eslint, prettier --check)');
  const eslint = await run('npx', ['eslint', '.']);
  if (eslint.code === 0) pass('eslint . (typescript-eslint, eslint-plugin-vue)');
  else fail('eslint .', tail(eslint.output));
  const prettier = await run('npx', ['prettier', '--check', '.']);
  if (prettier.code === 0) pass('prettier --check . (one format across the tree)');
  else fail('prettier --check .', tail(prettier.output));
}
