// The guided runner, run for real (tsx runner/cli.ts, as `npm run learn` does) against a fixture
// course of two exercises: 04 passes (the reference solution), 05 fails (the untouched stub).
// These tests need Postgres and Redis: DATABASE_URL and REDIS_URL (CI sets them).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExercise } from '../../manifest.ts';
import { root } from '../fixtures/runner/course.ts';
import { envFor, progress, runner, SLOW, useFixture } from '../support/runner.ts';

const invalidate = findExercise('05')!;
const stub05 = readFileSync(join(root, 'exercises/05-invalidate/update-user.ts'), 'utf8');

const course = useFixture();

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

      writeFileSync(join(course().target, '.course', 'progress.json'), '{ not json');
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
        course().file('04-cache-aside/get-user.ts'),
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
    writeFileSync(course().file('05-invalidate/update-user.ts'), mine);
    const { code, stdout } = await runner(['reset', '05', '--yes']);
    expect(code).toBe(0);
    expect(readFileSync(course().file('05-invalidate/update-user.ts'), 'utf8')).toBe(stub05);
    const backups = join(course().target, '.course', 'backups', '05-invalidate');
    const [backup] = readdirSync(backups);
    expect(backup).toMatch(/^update-user\.[\dT-]+\.ts$/);
    expect(readFileSync(join(backups, backup!), 'utf8')).toBe(mine);
    expect(stdout).toContain(join(backups, backup!));
  });

  it('asks first, and changes nothing unless the answer is yes', async () => {
    const mine = `${stub05}\n// keep me\n`;
    writeFileSync(course().file('05-invalidate/update-user.ts'), mine);
    const { code, stdout } = await runner(['reset', '05'], { input: 'n\n' });
    expect(code).toBe(0);
    expect(stdout).toContain('[y/N]');
    expect(stdout).toContain('Nothing changed.');
    expect(readFileSync(course().file('05-invalidate/update-user.ts'), 'utf8')).toBe(mine);
    expect(existsSync(join(course().target, '.course', 'backups'))).toBe(false);
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
