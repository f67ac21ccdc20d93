// The warm session (what `npm run learn` and verify's attempts use) must give the verdict a fresh
// `npm test NN` gives, check by check. Attempts of checks/attempts/, wrong and right, are checked
// both ways from a folder laid out like exercises/ and the two verdicts compared; then the same
// session checks them again in the other order, so that nothing of one run leaks into the next.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExercise, folderOf, type Exercise } from '../../manifest.ts';
import type { LearnerResult } from '../../tooling/learner-results.ts';
import { WarmChecks } from '../../tooling/warm-checks.ts';
import { findAttempts } from '../../scripts/verify-attempts.ts';
import { DATABASE_URL, npmTest, REDIS_URL, root } from '../support/npm-test.ts';
import { processes } from '../support/processes.ts';

// Exercises whose checks take about a second, and leave the most behind between runs (locks,
// transactions, a cache, a sorted set): enough to compare, little for the suite to wait on.
const SAMPLE = ['03', '04', '05', '11'].map((id) => findExercise(id)!);
const work = join(root, '.course', 'tests', 'warm-fresh');

type Verdicts = Map<string, Map<string, boolean>>;

/** One target folder per kind, holding the first attempt of that kind of every sampled exercise. */
function layOut(kind: 'wrong' | 'right'): string {
  const target = join(work, kind);
  for (const exercise of SAMPLE) {
    const attempt = findAttempts([exercise]).find((a) => a.kind === kind);
    if (!attempt) throw new Error(`no ${kind} attempt for ${exercise.id}`);
    mkdirSync(join(target, folderOf(exercise)), { recursive: true });
    copyFileSync(attempt.file, join(target, folderOf(exercise), exercise.file));
  }
  return target;
}

async function fresh(target: string): Promise<Verdicts> {
  const results = join(target, '.results');
  await npmTest(
    SAMPLE.map((e) => e.id),
    { COURSE_TARGET: target, COURSE_RESULTS_DIR: results, DATABASE_URL, REDIS_URL },
  );
  const verdicts: Verdicts = new Map();
  for (const exercise of SAMPLE) {
    const r = JSON.parse(readFileSync(join(results, `${folderOf(exercise)}.json`), 'utf8')) as LearnerResult;
    verdicts.set(exercise.id, new Map(r.checks.map((c) => [c.name, c.status === 'passed'])));
  }
  return verdicts;
}

async function warm(session: WarmChecks, order: readonly Exercise[]): Promise<Verdicts> {
  const verdicts: Verdicts = new Map();
  for (const exercise of order) {
    const summary = await session.run({ exercise });
    const r = summary.results.find((x) => x.exercise.id === exercise.id);
    verdicts.set(exercise.id, new Map((r?.checks ?? []).map((c) => [c.name, c.passed])));
  }
  return verdicts;
}

const plain = (v: Verdicts) => Object.fromEntries([...v].map(([id, checks]) => [id, Object.fromEntries(checks)]));

describe('a warm session judges as a fresh npm test does', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const kind of ['wrong', 'right'] as const) {
    it(`gives the same verdict, check by check, on ${kind} attempts of ${SAMPLE.map((e) => e.id).join(', ')}`, async () => {
      const target = layOut(kind);
      const expected = await fresh(target);
      const session = await WarmChecks.open({
        target,
        print: false,
        services: { postgresUrl: DATABASE_URL, redisUrl: REDIS_URL },
      });
      try {
        const first = await warm(session, SAMPLE);
        const again = await warm(session, [...SAMPLE].reverse());
        expect(plain(first)).toEqual(plain(expected));
        expect(plain(again)).toEqual(plain(expected));
      } finally {
        await session.close();
      }
      // A wrong attempt fails some check, a right one none: the comparison compared something.
      const failing = [...expected.values()].filter((checks) => [...checks.values()].includes(false)).length;
      expect(failing).toBe(kind === 'wrong' ? SAMPLE.length : 0);
    }, 120_000);
  }

  it('starts a new check process, with the same verdict, when the code under check left connections open', async () => {
    // The reference solution, plus a pool of its own that it never ends: the process that ran it
    // is not kept (its connections may come back), and the next run is a fresh process's.
    const exercise = findExercise('04')!;
    const target = join(work, 'leaky');
    mkdirSync(join(target, folderOf(exercise)), { recursive: true });
    const solution = readFileSync(join(root, 'solutions', folderOf(exercise), exercise.file), 'utf8');
    // (Opened once the check file has put its sandbox's address in the environment, as a learner's
    // code would open it in a call.)
    const leak = `
import pgForLeak from 'pg';
const waiting = setInterval(() => {
  if (!process.env.DATABASE_URL?.startsWith('postgres')) return;
  clearInterval(waiting);
  // A connection, and no statement on it: no check sees it but the one that counts them at the end.
  const leak = new pgForLeak.Client({ connectionString: process.env.DATABASE_URL });
  leak.on('error', () => {});
  void leak.connect().catch(() => {});
}, 5);
`;
    writeFileSync(join(target, folderOf(exercise), exercise.file), `${solution}\n${leak}`);
    const checkProcesses = () =>
      processes()
        .filter((p) => p.parent === process.pid && p.cmdline.includes('workers/forks.js') && p.state !== 'Z')
        .map((p) => p.pid);
    const session = await WarmChecks.open({
      target,
      print: false,
      services: { postgresUrl: DATABASE_URL, redisUrl: REDIS_URL },
    });
    try {
      const first = await warm(session, [exercise]);
      // Not kept: the process ended with the run, and the next run has a new one.
      expect(checkProcesses()).toEqual([]);
      const second = await warm(session, [exercise]);
      for (const verdicts of [first, second]) expect([...verdicts.get('04')!.values()].every(Boolean)).toBe(true);
      expect(plain(second)).toEqual(plain(first));
    } finally {
      await session.close();
    }
    // Against the solution alone, the same session shape keeps its process: the test sees the difference.
    copyFileSync(
      join(root, 'solutions', folderOf(exercise), exercise.file),
      join(target, folderOf(exercise), exercise.file),
    );
    const control = await WarmChecks.open({
      target,
      print: false,
      services: { postgresUrl: DATABASE_URL, redisUrl: REDIS_URL },
    });
    try {
      await warm(control, [exercise]);
      expect(checkProcesses()).toHaveLength(1);
    } finally {
      await control.close();
    }
  }, 60_000);
});
