// The lessons' worked examples are held to what their pages say (scripts/verify-examples.ts): an
// example whose printed output differs from its `// Output:` comment fails verify, with the
// difference shown, and so does a page that shows a solution or types out its own TypeScript.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExamples, expectedOutput, listExamples, runExample } from '../../tooling/examples.ts';
import { openSandbox, type Sandbox } from '../../tooling/sandbox.ts';
import { judgeExample, lessonPageProblems } from '../../scripts/verify-examples.ts';
import { problems, tally } from '../../scripts/verify-stages.ts';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';

const scratch = mkdtempSync(join(tmpdir(), 'course-examples-'));
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await openSandbox({ postgresUrl: DATABASE_URL, redisUrl: REDIS_URL });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** One real example, copied into a folder of its own with its `// Output:` text changed by `edit`. */
function copied(id: string, edit: (source: string) => string) {
  const folder = join(scratch, id.split('/')[0]!);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${id.split('/')[1]}.ts`);
  copyFileSync(join(root, 'examples', `${id}.ts`), file);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  // (Its one import, of the Example type, is erased when it runs.)
  return listExamples(scratch).find((e) => e.id === id)!;
}

/** The verdict judgeExample gives, as verify would count it. */
async function verdict(example: ReturnType<typeof copied>) {
  const before = { ...tally };
  const seen = problems.length;
  (await judgeExample(example, sandbox))();
  return { failed: tally.failed - before.failed, passed: tally.passed - before.passed, said: problems.slice(seen) };
}

describe('a worked example', () => {
  it('reads what it must print from the // Output: comment at its end', () => {
    expect(expectedOutput('const a = 1;\n\n// Output:\n// first line\n//   indented\n//\n// last\n')).toBe(
      'first line\n  indented\n\nlast',
    );
    expect(expectedOutput('// Output:\n// a\nconsole.log(1);\n')).toBeUndefined();
    expect(expectedOutput('console.log(1);\n')).toBeUndefined();
  });

  it('prints the same compiled (as verify runs it) as through tsx (as the Run button runs it)', async () => {
    const real = listExamples().find((e) => e.id === '04-cache-aside/ttl-in-one-command')!;
    const compiled = await compileExamples([real.file]);
    expect(compiled?.files.get(real.file)).toMatch(/examples-build.*ttl-in-one-command\.mjs$/);
    await sandbox.reset();
    const fast = await runExample(real.file, sandbox, 20_000, compiled);
    await sandbox.reset();
    const plain = await runExample(real.file, sandbox, 20_000);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe(plain.stdout);
    expect(fast.stdout.trim()).toBe(real.output);
  });

  it('passes when it prints exactly its Output, and fails, showing the difference, when the Output is changed', async () => {
    const id = '04-cache-aside/ttl-in-one-command';
    const real = listExamples().find((e) => e.id === id)!;
    expect(await verdict(real)).toMatchObject({ passed: 1, failed: 0 });
    const changed = copied(id, (source) => source.replace('// blog TTL -1', '// blog TTL 60'));
    const outcome = await verdict(changed);
    expect(outcome.failed).toBe(1);
    expect(outcome.said.join('\n')).toContain('printed other than its // Output: comment says');
  });

  it('fails when it leaves a key behind in its sandbox', async () => {
    const leaky = copied('04-cache-aside/catalogue', (source) =>
      source.replace("await cache.del('product:tea-01');", ''),
    );
    const outcome = await verdict(leaky);
    expect(outcome.failed).toBe(1);
    expect(outcome.said.join('\n')).toContain('leaves things behind');
  });
});

describe('a lesson page', () => {
  const examples = listExamples();
  const page = (text: string) => (path: string) =>
    path.endsWith('04-cache-aside.md') ? text : readFileSync(join(root, path), 'utf8');
  const lesson04 = readFileSync(join(root, 'docs', 'lessons', '04-cache-aside.md'), 'utf8');

  it('as it is, breaks none of the rules', () => {
    expect(lessonPageProblems(examples)).toEqual([]);
  });

  it('may not show a solution, type out TypeScript, or show an example too wide for its column', () => {
    const withSolution = `${lesson04}\n<<< @/../solutions/04-cache-aside/get-user.ts\n`;
    expect(lessonPageProblems(examples, page(withSolution)).join('\n')).toContain("never shows an exercise's solution");
    const typed = `${lesson04}\n\`\`\`ts\nconst x = 1;\n\`\`\`\n`;
    expect(lessonPageProblems(examples, page(typed)).join('\n')).toContain('typed into the page');
    const bare = lesson04.replace(/^<<< @\/\.\.\/examples\/.*$/gm, '');
    expect(lessonPageProblems(examples, page(bare)).join('\n')).toContain('shows no worked example');
  });
});
