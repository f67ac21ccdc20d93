// The guided runner, run for real (tsx runner/cli.ts, as `npm run learn` does) against a fixture
// course of two exercises: 04 passes (the reference solution), 05 fails (the untouched stub).
// These tests need Postgres and Redis: DATABASE_URL and REDIS_URL (CI sets them).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findExercise } from '../../manifest.ts';
import { FIXTURE_ONLY, makeFixtureCourse, root, type FixtureCourse } from '../fixtures/runner/course.ts';
import { courseDatabases, newCourseDatabase } from '../support/course-databases.ts';
import { runToEnd, type Run } from '../support/run-to-end.ts';

const SLOW = 120_000;
const invalidate = findExercise('05')!;
const stub05 = readFileSync(join(root, 'exercises/05-invalidate/update-user.ts'), 'utf8');
const solution05 = readFileSync(join(root, 'solutions/05-invalidate/update-user.ts'), 'utf8');

let course: FixtureCourse;
beforeEach(() => {
  course = makeFixtureCourse();
});
afterEach(() => course.remove());

function envFor(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    COURSE_TARGET: course.target,
    COURSE_ONLY: FIXTURE_ONLY,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...extra,
  };
}

function start(args: string[], env = envFor()): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'runner/cli.ts', ...args], { cwd: root, env });
}

/** util-linux `script` gives the runner a pseudo-terminal (node-pty is not a dependency). */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

/** `npm run learn` in a pseudo-terminal: stdin and stdout are a TTY, keys arrive one by one. */
function startInTerminal(): ChildProcessWithoutNullStreams {
  const command = `${JSON.stringify(process.execPath)} --import tsx runner/cli.ts`;
  return spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: envFor({ TERM: 'xterm' }) });
}

/** Collects a child's output and resolves `waitFor(pattern)` once the output matches. */
function watchOutput(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor: (pattern: RegExp) =>
      pattern.test(stdout) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
  };
}

/** Runs a plain command to its end. */
function runner(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runToEnd(start(args, options.env), options.input);
}

function progress(): { exercises: Record<string, { done: boolean; hints: number }> } {
  return JSON.parse(readFileSync(join(course.target, '.course', 'progress.json'), 'utf8'));
}

describe('npm run learn -- list', () => {
  it(
    'shows progress as text and a bar, and each exercise with its status',
    async () => {
      const { code, stdout } = await runner(['list']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/\[█+░+\] 1 \/ 2 done/);
      expect(stdout).toMatch(/✓ 04 .*Cache-aside.*done/);
      expect(stdout).toMatch(/▸ · 05 .*Invalidate on write.*to do/);
      expect(stdout).toContain('Next up: 05');
    },
    SLOW,
  );

  it(
    'trusts its progress file afterwards, and rebuilds it by running the checks when it is corrupt',
    async () => {
      const first = await runner(['list']);
      expect(first.stderr).toContain('Checking 04');
      expect(progress().exercises['04']?.done).toBe(true);

      const again = await runner(['list']);
      expect(again.stderr).not.toContain('Checking');
      expect(again.stdout).toContain('1 / 2 done');

      writeFileSync(join(course.target, '.course', 'progress.json'), '{ not json');
      const rebuilt = await runner(['list']);
      expect(rebuilt.stderr).toContain('Checking 04');
      expect(rebuilt.stdout).toContain('1 / 2 done');
    },
    SLOW,
  );

  it(
    'checks again an exercise whose file changed since it passed',
    async () => {
      await runner(['list']);
      writeFileSync(
        course.file('04-cache-aside/get-user.ts'),
        readFileSync(join(root, 'exercises/04-cache-aside/get-user.ts'), 'utf8') + '\n// edited\n',
      );
      const { stdout, stderr } = await runner(['list']);
      expect(stderr).toContain('Checking 04');
      expect(stdout).toMatch(/✗ 04 .*not passing yet/);
      expect(stdout).toContain('0 / 2 done');
    },
    SLOW,
  );
});

describe('npm run learn -- hint', () => {
  it('reveals the hints one at a time, in the order of the manifest', async () => {
    const [first, second, third] = invalidate.hints;
    const one = await runner(['hint', '05']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`Hint 1 of ${invalidate.hints.length}: ${first}`);
    expect(one.stdout).not.toContain(second);

    const two = await runner(['hint', '05']);
    expect(two.stdout).toContain(`Hint 2 of ${invalidate.hints.length}: ${second}`);
    expect(two.stdout.indexOf(first!)).toBeLessThan(two.stdout.indexOf(second!));
    expect(two.stdout).not.toContain(third);
    expect(progress().exercises['05']?.hints).toBe(2);
  });

  it('says which exercises exist when the one named is not in the course', async () => {
    const { code, stderr } = await runner(['hint', '99']);
    expect(code).toBe(1);
    expect(stderr).toContain('No exercise "99"');
    expect(stderr).toMatch(/04 {2}cache-aside/);
  });
});

describe('npm run learn -- reset', () => {
  it("puts the stub back and keeps the learner's version in a backup", async () => {
    const mine = `${stub05}\n// my attempt\n`;
    writeFileSync(course.file('05-invalidate/update-user.ts'), mine);
    const { code, stdout } = await runner(['reset', '05', '--yes']);
    expect(code).toBe(0);
    expect(readFileSync(course.file('05-invalidate/update-user.ts'), 'utf8')).toBe(stub05);
    const backups = join(course.target, '.course', 'backups', '05-invalidate');
    const [backup] = readdirSync(backups);
    expect(backup).toMatch(/^update-user\.[\dT-]+\.ts$/);
    expect(readFileSync(join(backups, backup!), 'utf8')).toBe(mine);
    expect(stdout).toContain(join(backups, backup!));
  });

  it('asks first, and changes nothing unless the answer is yes', async () => {
    const mine = `${stub05}\n// keep me\n`;
    writeFileSync(course.file('05-invalidate/update-user.ts'), mine);
    const { code, stdout } = await runner(['reset', '05'], { input: 'n\n' });
    expect(code).toBe(0);
    expect(stdout).toContain('[y/N]');
    expect(stdout).toContain('Nothing changed.');
    expect(readFileSync(course.file('05-invalidate/update-user.ts'), 'utf8')).toBe(mine);
    expect(existsSync(join(course.target, '.course', 'backups'))).toBe(false);
  });
});

describe('npm run learn -- solution', () => {
  it(
    "stays closed until the exercise passes, then shows the reference beside the learner's code",
    async () => {
      const locked = await runner(['solution', '05']);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('opens once your checks pass');

      const open = await runner(['solution', '04']);
      expect(open.code).toBe(0);
      expect(open.stdout).toMatch(/Yours: .*get-user\.ts.*│ Reference: solutions\/04-cache-aside\/get-user\.ts/);
    },
    SLOW,
  );
});

describe('npm run learn (interactive, driven through pipes)', () => {
  it(
    'opens at the failing exercise, checks it again on save, and quits on q with exit code 0',
    async () => {
      const child = start([]);
      const out = watchOutput(child);
      const { waitFor } = out;

      await waitFor(/✗ 05 invalidate: \d+ of \d+ checks pass.*\n.*q quit/);
      expect(out.stdout).toContain('05 · Invalidate on write');
      expect(out.stdout).toContain('1 / 2 done');
      expect(out.stdout).toContain('n next · h hint · l list · r reset · s solution · t task · q quit');

      child.stdin.write('h\n');
      await waitFor(/Hint 1 of \d+:/);

      writeFileSync(course.file('05-invalidate/update-user.ts'), solution05);
      await waitFor(/✓ 05 invalidate: all \d+ checks pass[\s\S]*q quit/);
      expect(out.stdout).toMatch(
        /✓ 05 invalidate: all \d+ checks pass\.\nProgress .*2 \/ 2 done\nAll 2 exercises pass/,
      );

      child.stdin.write('q\n');
      const code = await out.exited;
      expect(out.stderr).toBe('');
      expect(code).toBe(0);
      expect(out.stdout).toMatch(/Bye\. .*2 \/ 2 done/);
      expect(progress().exercises['05']?.done).toBe(true);
    },
    SLOW,
  );
});

describe('npm run learn, stopped by a signal during a check', () => {
  it(
    'lets the run end, releases its database, says Bye and exits 0',
    async () => {
      // A frozen process: the watchdog (here after 1.5 s) ends it, so the run ends soon after the signal.
      const env = envFor({ COURSE_FROZEN_MS: '1500' });
      const admin = new pg.Client({ connectionString: env.DATABASE_URL });
      await admin.connect();
      try {
        const child = start([], env);
        const out = watchOutput(child);
        await out.waitFor(/✗ 05 invalidate: \d+ of \d+ checks pass.*\n.*q quit/);
        const before = new Set(await courseDatabases(admin));
        writeFileSync(course.file('05-invalidate/update-user.ts'), 'export function updateUser() { for (;;) {} }\n');
        const made = await newCourseDatabase(admin, before);
        expect(made, 'the re-check never created its database').toBeDefined();
        child.kill('SIGINT');
        expect(await out.exited).toBe(0);
        expect(out.stdout).toContain('Stopping…');
        expect(out.stdout).toMatch(/Bye\. .*1 \/ 2 done/);
        expect(await courseDatabases(admin)).not.toContain(made);
      } finally {
        await admin.end();
      }
    },
    SLOW,
  );
});

describe.skipIf(!hasScript)('npm run learn (interactive, in a pseudo-terminal)', () => {
  it(
    'takes single keys without Enter, resets after a y, and ends on Ctrl-C with exit code 0',
    async () => {
      const child = startInTerminal();
      const out = watchOutput(child);
      await out.waitFor(/✗ 05 invalidate: \d+ of \d+ checks pass/);

      child.stdin.write('h');
      await out.waitFor(/Hint 1 of \d+:/);
      expect(out.stdout).toContain(invalidate.hints[0]);

      child.stdin.write('r');
      await out.waitFor(/\[y\/N\]/);
      child.stdin.write('y');
      await out.waitFor(/is the stub again\. Your version: .*backups/);
      await out.waitFor(/is the stub again[\s\S]*✗ 05 invalidate/);

      child.stdin.write('\u0003');
      expect(await out.exited).toBe(0);
      expect(out.stdout).toMatch(/Bye\. .*1 \/ 2 done/);
    },
    SLOW,
  );
});

describe('npm run learn -- --help and mistakes', () => {
  it('prints Usage, Commands, Options and Examples', async () => {
    const { code, stdout } = await runner(['--help']);
    expect(code).toBe(0);
    for (const section of ['Usage', 'Commands', 'Options', 'Examples']) expect(stdout).toContain(section);
  });

  it('names an unknown command and exits 1', async () => {
    const { code, stderr } = await runner(['frobnicate']);
    expect(code).toBe(1);
    expect(stderr).toContain('No command "frobnicate"');
  });
});

describe('npm run doctor', () => {
  it('finds both servers from the URLs and exits 0', async () => {
    const { code, stdout } = await runner(['doctor']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ Postgres \d+.* answers/);
    expect(stdout).toMatch(/✓ Redis \d+.* answers/);
    expect(stdout).toContain('may create databases and roles');
    expect(stdout).toContain('Everything the checks need is in place.');
  });

  it('explains how to fix a server that does not answer, and exits 1', async () => {
    const { code, stdout } = await runner(['doctor'], { env: envFor({ REDIS_URL: 'redis://127.0.0.1:1' }) });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ Redis at redis:\/\/127\.0\.0\.1:1 does not answer/);
    expect(stdout).toMatch(/Fix: Start Redis/);
  });

  it('says what to do when only one URL is set', async () => {
    const env = envFor();
    delete env.DATABASE_URL;
    const { code, stdout } = await runner(['doctor'], { env });
    expect(code).toBe(1);
    expect(stdout).toContain('REDIS_URL is set but DATABASE_URL is not');
  });
});
