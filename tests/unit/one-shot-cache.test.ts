// What `npm test` keeps between runs (tooling/one-shot.mjs: the compiled harness and run modules in
// node_modules/.cache/course-one-shot) can never change a verdict: a checkout moved, renamed or
// copied, two checkouts sharing one node_modules, an entry damaged or left half-made, and a cache
// that cannot be written at all each give the verdict a fresh clone gives, and never a stack trace.
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, REDIS_URL, root } from '../support/npm-test.ts';
import { runToEnd, type Run } from '../support/run-to-end.ts';

const scratch = mkdtempSync(join(tmpdir(), 'course-one-shot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The course's own files (tracked, or new and not ignored), as a fresh clone has them. */
const courseFiles = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter((f) => f && !f.startsWith('node_modules/'));

/**
 * A copy of the course in `dir`. Its node_modules is this one's, through a symlink ('shared', as
 * a monorepo or a container volume shares it), or a folder of its own whose packages are links to
 * this one's, so that its cache is its own ('own cache').
 */
function checkout(dir: string, modules: 'shared' | 'own cache'): string {
  for (const file of courseFiles) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    try {
      copyFileSync(join(root, file), to);
    } catch {
      // listed by git, deleted since
    }
  }
  if (modules === 'shared') symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  else {
    mkdirSync(join(dir, 'node_modules'));
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name === '.cache' || name === '.experimental-vitest-cache') continue;
      symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
    }
  }
  return dir;
}

function npmTest(dir: string, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['scripts/test.mjs', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL, REDIS_URL },
  });
  return runToEnd(child);
}

/** A verdict, and no sign of a crash of the command itself. */
function expectVerdict(run: Run, passed: boolean): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toMatch(/ENOENT|\n\s+at .+:\d+:\d+\)?\n|Node\.js v\d/);
  if (passed) {
    expect(run.code, all).toBe(0);
    expect(run.stdout).toContain('02 source-of-truth: all 6 checks pass');
  } else {
    expect(run.code, all).toBe(1);
    expect(run.stdout).toContain('02 source-of-truth: 0 of 6 checks pass');
  }
}

const seatOf = (dir: string) => join(dir, 'exercises', '02-source-of-truth', 'users.ts');
const cacheOf = (dir: string) => join(dir, 'node_modules', '.cache', 'course-one-shot');

describe('the cache of a one-shot npm test', () => {
  it('gives a moved or renamed checkout the same verdicts, never a stack trace', async () => {
    const before = checkout(join(scratch, 'course'), 'own cache');
    expectVerdict(await npmTest(before, ['--solutions', '02']), true);
    const after = join(scratch, 'course-renamed');
    renameSync(before, after);
    expectVerdict(await npmTest(after, ['--solutions', '02']), true);
    expectVerdict(await npmTest(after, ['02']), false);
  });

  it('lets two checkouts sharing one node_modules each judge their own code', async () => {
    // Their harness differs from this checkout's by a comment: they compile their own, not reuse ours.
    const marked = (dir: string) => {
      writeFileSync(
        join(dir, 'checks', 'harness', 'teach.ts'),
        `${readFileSync(join(root, 'checks', 'harness', 'teach.ts'), 'utf8')}// a copy\n`,
      );
      return dir;
    };
    const solved = marked(checkout(join(scratch, 'solved'), 'shared'));
    copyFileSync(join(root, 'solutions', '02-source-of-truth', 'users.ts'), seatOf(solved));
    const untouched = marked(checkout(join(scratch, 'untouched'), 'shared'));
    expectVerdict(await npmTest(solved, ['02']), true);
    expectVerdict(await npmTest(untouched, ['02']), false);
    expectVerdict(await npmTest(solved, ['02']), true);
    // A copy of a checkout (cp -a) judges the copy's code, not the original's…
    const copy = join(scratch, 'solved-copy');
    execFileSync('cp', ['-a', solved, copy]);
    writeFileSync(seatOf(copy), readFileSync(join(root, 'exercises', '02-source-of-truth', 'users.ts')));
    expectVerdict(await npmTest(copy, ['02']), false);
    // …and goes on judging when the checkouts that ran before it are gone.
    rmSync(solved, { recursive: true });
    rmSync(untouched, { recursive: true });
    expectVerdict(await npmTest(copy, ['02']), false);
    expectVerdict(await npmTest(copy, ['--solutions', '02']), true);
  });

  it('makes a damaged or half-made entry again instead of using it', async () => {
    const dir = checkout(join(scratch, 'damaged'), 'own cache');
    expectVerdict(await npmTest(dir, ['--solutions', '02']), true);
    const cache = cacheOf(dir);
    const compiled = readdirSync(cache).filter((n) => !n.endsWith('.json'));
    expect(compiled.length).toBeGreaterThanOrEqual(2);
    // A compiled module cut short, and another part's folder gone with its record still there.
    const harness = join(
      cache,
      compiled.find((n) => n.startsWith('harness-'))!,
    );
    writeFileSync(join(harness, 'course.mjs'), 'export const half = ');
    rmSync(
      join(
        cache,
        compiled.find((n) => n.startsWith('main-'))!,
      ),
      { recursive: true },
    );
    // An interrupted compile's leftovers.
    mkdirSync(join(cache, `${compiled[0]}.4242.tmp`));
    expectVerdict(await npmTest(dir, ['--solutions', '02']), true);
    expect(readFileSync(join(harness, 'course.mjs'), 'utf8')).not.toBe('export const half = ');
    expectVerdict(await npmTest(dir, ['02']), false);
  });

  it('falls back to the uncompiled checks, with the same verdicts, when it cannot be written', async () => {
    const dir = checkout(join(scratch, 'unwritable'), 'own cache');
    mkdirSync(dirname(cacheOf(dir)), { recursive: true });
    writeFileSync(cacheOf(dir), 'not a folder');
    const solved = await npmTest(dir, ['--solutions', '02']);
    expectVerdict(solved, true);
    expect(solved.stderr).toContain('they run uncompiled');
    expectVerdict(await npmTest(dir, ['02']), false);
  });
});
