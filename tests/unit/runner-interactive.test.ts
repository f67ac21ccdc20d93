// The guided runner's interactive session, run for real (tsx runner/cli.ts, as `npm run learn` does) against a fixture
// course of two exercises: 04 passes (the reference solution), 05 fails (the untouched stub).
// These tests need Postgres and Redis: DATABASE_URL and REDIS_URL (CI sets them).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findExercise } from '../../manifest.ts';
import { root } from '../fixtures/runner/course.ts';
import { courseDatabases, databaseOfRun, runOfProcess } from '../support/course-databases.ts';
import {
  envFor,
  hasScript,
  progress,
  SLOW,
  start,
  startInTerminal,
  useFixture,
  watchOutput,
} from '../support/runner.ts';

const invalidate = findExercise('05')!;
const solution05 = readFileSync(join(root, 'solutions/05-invalidate/update-user.ts'), 'utf8');

const course = useFixture();

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

      writeFileSync(course().file('05-invalidate/update-user.ts'), solution05);
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
        // The session's database, kept for every re-check until the runner ends.
        const runId = await runOfProcess(admin, child.pid!);
        const made = runId && (await databaseOfRun(admin, runId));
        expect(made, 'the session holds no database of its own').toBeDefined();
        const checked = out.stdout.length;
        writeFileSync(course().file('05-invalidate/update-user.ts'), 'export function updateUser() { for (;;) {} }\n');
        await out.waitFor(/Checking…/, checked);
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
