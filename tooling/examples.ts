// The lessons' worked examples (examples/<lesson folder>/<name>.ts), in the spirit of Go's
// testable examples: each is a real function run against the real servers, and the `// Output:`
// comment at its end is what it must print. Verify runs them all (scripts/verify-examples.ts),
// the lesson pages show the code and that output, and `npm run docs` can run one on the page.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lessons } from '../manifest.ts';
import { projectRoot } from './services.ts';

export const EXAMPLES_DIR = join(projectRoot, 'examples');
const HOST = join(projectRoot, 'tooling', 'example-host.ts');

export interface WorkedExample {
  /** `<lesson folder>/<name>`, e.g. `04-cache-aside/catalogue`: how pages name it. */
  id: string;
  /** The lesson it belongs to (its folder starts with the lesson's id). */
  lesson: string;
  file: string;
  /** What it must print, from its `// Output:` comment; undefined when it has none. */
  output: string | undefined;
}

/** The text of a trailing `// Output:` comment: every comment line after it, without the `// `. */
export function expectedOutput(source: string): string | undefined {
  const lines = source.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const at = lines.findIndex((line) => /^\/\/ Output:\s*$/.test(line));
  if (at < 0) return undefined;
  const rest = lines.slice(at + 1);
  if (rest.some((line) => !/^\/\/( |$)/.test(line))) return undefined;
  return normalizeOutput(rest.map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
}

/** Output as compared: no trailing spaces on a line, no blank lines at the end. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

/** Every worked example, ordered by lesson folder and name. */
export function listExamples(root = EXAMPLES_DIR): WorkedExample[] {
  if (!existsSync(root)) return [];
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name))
    .map((d) => d.name)
    .sort();
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => {
        const file = join(root, folder, name);
        return {
          id: `${folder}/${name.replace(/\.ts$/, '')}`,
          lesson: folder.slice(0, 2),
          file,
          output: expectedOutput(readFileSync(file, 'utf8')),
        };
      }),
  );
}

/** The lesson folder an example must live in: `<id>-<slug>` of a lesson in the manifest. */
export function lessonFolders(): string[] {
  return lessons.map((l) => `${l.id}-${l.slug}`);
}

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Whether it was ended for running past its time. */
  timedOut: boolean;
  ms: number;
}

/**
 * Runs one example in a process of its own, whose environment names the sandbox and nothing
 * else, and ends it if it runs past `timeoutMs`.
 */
export function runExample(
  file: string,
  urls: { databaseUrl: string; redisUrl: string },
  timeoutMs = 20_000,
  compiled?: CompiledExamples,
): Promise<ExampleRun> {
  const started = performance.now();
  const built = compiled?.files.get(file);
  const args = compiled && built ? [compiled.host, built] : ['--import', 'tsx', HOST, file];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: urls.databaseUrl,
        REDIS_URL: urls.redisUrl,
        NODE_ENV: 'production',
        TZ: 'UTC',
        LANG: 'C.UTF-8',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** The examples and their host compiled to plain JavaScript, run without tsx's start-up. */
export interface CompiledExamples {
  host: string;
  /** Example file → its compiled module. */
  files: Map<string, string>;
}

/**
 * Compiles the host and the examples with esbuild into .course/examples-build/ (each a bundle of
 * its own sources; packages stay imports), or resolves undefined when that cannot be done, and
 * the examples run through tsx as before: the same code, only a slower start.
 */
export async function compileExamples(files: readonly string[]): Promise<CompiledExamples | undefined> {
  try {
    const { build } = await import('esbuild');
    const outdir = join(projectRoot, '.course', 'examples-build');
    rmSync(outdir, { recursive: true, force: true });
    await build({
      entryPoints: [HOST, ...files],
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir,
      outbase: projectRoot,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    const out = (file: string) => join(outdir, relative(projectRoot, file).replace(/\.ts$/, '.mjs'));
    const compiled = { host: out(HOST), files: new Map(files.map((f) => [f, out(f)])) };
    return [compiled.host, ...compiled.files.values()].every((f) => existsSync(f)) ? compiled : undefined;
  } catch {
    return undefined;
  }
}
