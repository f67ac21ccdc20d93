// Verify's examples stage: the lessons teach with worked examples of their own, never with an
// exercise's solution, and every example is a real file that runs against the real servers and
// prints exactly what its page shows (its `// Output:` comment).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { exercises, lessons } from '../manifest.ts';
import {
  compileExamples,
  listExamples,
  normalizeOutput,
  runExample,
  type CompiledExamples,
  type WorkedExample,
} from '../tooling/examples.ts';
import { openSandbox, type Sandbox } from '../tooling/sandbox.ts';
import { projectRoot, type Services } from '../tooling/services.ts';
import { fail, pass, stage } from './verify-stages.ts';

const pagePath = (l: { id: string; slug: string }) => join('docs', 'lessons', `${l.id}-${l.slug}.md`);

/** Code fences a lesson may hold typed out: commands, SQL and plain text, never TypeScript or JavaScript. */
const CODE_FENCE = /^```\s*(ts|tsx|typescript|js|javascript|mjs|cjs)\b/m;
const INCLUDE = /^<<<\s+@\/\.\.\/(\S+?)(?:#(\S+))?(?:\s|\{|$)/gm;
const OUTPUT_TAG = /<ExampleOutput\s+of="([^"]+)"/g;

/** What a page includes from the repository (with the region, if any), and which example outputs it shows. */
function pageUses(text: string): { includes: string[]; regions: [string, string | undefined][]; outputs: string[] } {
  const regions = [...text.matchAll(INCLUDE)].map((m): [string, string | undefined] => [
    m[1]!.replace(/\{.*$/, ''),
    m[2],
  ]);
  const outputs = [...text.matchAll(OUTPUT_TAG)].map((m) => m[1]!);
  return { includes: regions.map(([path]) => path), regions, outputs };
}

/** The widest line a page's code column shows at 1280 px without scrolling sideways. */
const PAGE_COLUMNS = 72;

/** The lines a page shows of an include: the region's, dedented as VitePress dedents them, or the whole file's. */
function shownLines(source: string, region: string | undefined): string[] {
  let lines = source.replace(/\r\n/g, '\n').split('\n');
  if (region) {
    const start = lines.findIndex((l) => new RegExp(`^\\s*//\\s*#region ${region}\\s*$`).test(l));
    const end = lines.findIndex((l, i) => i > start && new RegExp(`^\\s*//\\s*#endregion ${region}\\s*$`).test(l));
    lines = start < 0 || end < 0 ? [] : lines.slice(start + 1, end);
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
    lines = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
  }
  return lines;
}

/** The rules of the pages, checked without the servers. */
export function lessonPageProblems(
  examples: WorkedExample[],
  readPage: (path: string) => string = (path) => readFileSync(join(projectRoot, path), 'utf8'),
): string[] {
  const problems: string[] = [];
  const byId = new Map(examples.map((e) => [e.id, e]));
  const shown = new Set<string>();
  const folders = new Set(lessons.map((l) => `${l.id}-${l.slug}`));
  for (const example of examples) {
    const folder = example.id.split('/')[0]!;
    if (!folders.has(folder)) problems.push(`examples/${example.id}.ts: examples/${folder} is no lesson's folder`);
    if (example.output === undefined)
      problems.push(`examples/${example.id}.ts: no "// Output:" comment at its end saying what it prints`);
    // A lesson's example is another domain than its exercises: it never exports what they must.
    const source = readFileSync(example.file, 'utf8');
    for (const exercise of exercises.filter((e) => e.lesson === example.lesson)) {
      for (const name of exercise.exports) {
        if (new RegExp(`export\\s+(?:async\\s+)?(?:function|const|let|class)\\s+${name}\\b`).test(source))
          problems.push(`examples/${example.id}.ts exports ${name}, the name exercise ${exercise.id} asks for`);
      }
    }
  }
  for (const lesson of lessons) {
    const page = pagePath(lesson);
    let text: string;
    try {
      text = readPage(page);
    } catch {
      problems.push(`${page} is missing: the manifest lists lesson ${lesson.id}`);
      continue;
    }
    const { includes, regions, outputs } = pageUses(text);
    const fence = CODE_FENCE.exec(text);
    if (fence)
      problems.push(
        `${page}: a \`\`\`${fence[1]} block typed into the page; show code from a worked example (<<< @/../examples/…)`,
      );
    for (const path of includes) {
      if (path.startsWith('solutions/'))
        problems.push(`${page}: includes ${path}: a lesson never shows an exercise's solution`);
      else if (path.startsWith('db/')) continue;
      else if (!path.startsWith('examples/'))
        problems.push(`${page}: includes ${path}: lessons include code from examples/ (and the schema from db/) only`);
      else {
        const id = path.replace(/^examples\//, '').replace(/\.ts$/, '');
        if (!byId.has(id)) problems.push(`${page}: includes ${path}, which is not a worked example`);
        else if (byId.get(id)!.lesson !== lesson.id)
          problems.push(`${page}: includes ${path}, another lesson's example`);
        shown.add(id);
      }
    }
    for (const [path, region] of regions) {
      if (!path.startsWith('examples/') || !existsSync(join(projectRoot, path))) continue;
      const wide = shownLines(readFileSync(join(projectRoot, path), 'utf8'), region).filter(
        (l) => l.length > PAGE_COLUMNS,
      );
      for (const line of wide)
        problems.push(
          `${page}: ${path}${region ? `#${region}` : ''} shows a line of ${line.length} characters (at most ${PAGE_COLUMNS} fit): ${line.trim()}`,
        );
    }
    for (const id of outputs) {
      if (!byId.has(id)) problems.push(`${page}: <ExampleOutput of="${id}"> names no worked example`);
    }
    if (!examples.some((e) => e.lesson === lesson.id && includes.includes(`examples/${e.id}.ts`)))
      problems.push(
        `${page}: shows no worked example (<<< @/../examples/${lesson.id}-${lesson.slug}/<name>.ts#region)`,
      );
  }
  for (const example of examples) {
    if (!shown.has(example.id)) problems.push(`examples/${example.id}.ts is shown on no lesson page`);
  }
  return problems;
}

function outputDiff(id: string, expected: string, printed: string): string {
  return createTwoFilesPatch(`${id} // Output:`, `${id} printed`, `${expected}\n`, `${printed}\n`, '', '', {
    context: 2,
  })
    .split('\n')
    .slice(2)
    .join('\n');
}

export async function checkExamples(services: Services): Promise<void> {
  stage('Worked examples: the lessons show them, and each prints what its page says');
  const examples = listExamples();
  const problems = lessonPageProblems(examples);
  if (problems.length) fail('lesson pages teach with worked examples only', problems.join('\n'));
  else
    pass(
      `${lessons.length} lesson pages show ${examples.length} worked examples, no solution and no code typed into the page`,
    );
  // Three sandboxes, three examples at a time: most of an example's time is waiting (on a TTL, a
  // lock, a blocking read), and each starts from a compiled module (no tsx at start-up).
  const compiled = await compileExamples(examples.map((e) => e.file));
  let sandboxes: Sandbox[];
  try {
    sandboxes = await Promise.all([1, 2, 3].map(() => openSandbox(services, { statementTimeoutMs: 10_000 })));
  } catch (error) {
    fail('a sandbox for the worked examples', (error as Error).message);
    return;
  }
  const verdicts: (() => void)[] = [];
  try {
    let next = 0;
    await Promise.all(
      sandboxes.map(async (sandbox) => {
        for (let i = next++; i < examples.length; i = next++)
          verdicts[i] = await judgeExample(examples[i]!, sandbox, compiled);
      }),
    );
  } finally {
    await Promise.all(sandboxes.map((s) => s.close()));
  }
  for (const report of verdicts) report();
}

/** Runs one example in an emptied sandbox; returns how to report it (in the examples' order). */
export async function judgeExample(
  example: WorkedExample,
  sandbox: Sandbox,
  compiled?: CompiledExamples,
): Promise<() => void> {
  const where = `examples/${example.id}.ts`;
  try {
    await sandbox.reset();
    const run = await runExample(example.file, sandbox, undefined, compiled);
    const printed = normalizeOutput(run.stdout);
    if (run.timedOut) return () => fail(`${where} ran past 20 s and was ended`, run.stderr.trim());
    if (run.code !== 0) return () => fail(`${where} failed (exit ${run.code})`, (run.stderr || run.stdout).trim());
    if (example.output !== undefined && printed !== example.output)
      return () =>
        fail(
          `${where} printed other than its // Output: comment says`,
          outputDiff(example.id, example.output!, printed),
        );
    const left = await sandbox.leftovers();
    if (left.length) return () => fail(`${where} leaves things behind in its sandbox`, left.join('\n'));
    return () => pass(`${where} prints what its page shows (${Math.round(run.ms)} ms)`);
  } catch (error) {
    return () => fail(`${where} could not be run`, (error as Error).message);
  }
}
