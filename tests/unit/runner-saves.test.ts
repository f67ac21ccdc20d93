// Saves as editors make them give exactly one verdict each, in the guided runner's warm session:
// an atomic rename, a truncate then a write, two writes in a row (VS Code), vim's backup and swap
// files, and a save in the middle of a check (which supersedes it). In manual mode a save gives
// nothing until asked.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExercise } from '../../manifest.ts';
import { learnerFile, loadCourse, pristineStub, solutionFile } from '../../runner/course.ts';
import { ExerciseWatcher, type Verdict } from '../../runner/watch.ts';
import { DATABASE_URL, REDIS_URL } from '../support/npm-test.ts';

const exercise = findExercise('04')!;
const services = { postgresUrl: DATABASE_URL, redisUrl: REDIS_URL };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function session(manual = false) {
  const target = mkdtempSync(join(tmpdir(), 'runner-saves-'));
  const course = loadCourse({ target, only: exercise.id });
  const file = learnerFile(course, exercise);
  mkdirSync(dirname(file), { recursive: true });
  const stub = pristineStub(course, exercise) ?? '';
  const solution = readFileSync(solutionFile(course, exercise), 'utf8');
  writeFileSync(file, stub);
  const verdicts: Verdict[] = [];
  const watcher = new ExerciseWatcher({ course, services, print: false, manual, onVerdict: (v) => verdicts.push(v) });
  /** Waits until `count` verdicts have come and nothing more for 600 ms (a superseded or doubled check would have told by then). */
  const settled = async (count: number) => {
    for (const until = Date.now() + 20_000; verdicts.length < count && Date.now() < until;) await sleep(20);
    await sleep(600);
    await watcher.idle();
    return verdicts.length;
  };
  return {
    file,
    stub,
    solution,
    verdicts,
    watcher,
    settled,
    close: async () => {
      await watcher.close();
      rmSync(target, { recursive: true, force: true });
    },
  };
}

describe('npm run learn: one verdict per save, however the editor saves', () => {
  let s: ReturnType<typeof session>;
  beforeAll(async () => {
    s = session();
    s.watcher.open(exercise);
    expect(await s.settled(1)).toBe(1);
    expect(s.verdicts[0]!.passed).toBe(false);
  }, 60_000);
  afterAll(() => s.close());

  const save = async (how: () => void | Promise<void>, passed: boolean) => {
    const before = s.verdicts.length;
    await how();
    expect(await s.settled(before + 1), 'verdicts for one save').toBe(before + 1);
    expect(s.verdicts.at(-1)!.passed).toBe(passed);
  };

  it('an atomic save: a new file renamed over the old one', async () => {
    await save(() => {
      writeFileSync(`${s.file}.tmp`, `${s.solution}\n// atomic\n`);
      renameSync(`${s.file}.tmp`, s.file);
    }, true);
  }, 30_000);

  it('a truncate, then the write', async () => {
    await save(async () => {
      truncateSync(s.file, 0);
      await sleep(5);
      writeFileSync(s.file, `${s.stub}\n// truncated first\n`);
    }, false);
  }, 30_000);

  it('the same content written twice in a row (VS Code)', async () => {
    await save(async () => {
      writeFileSync(s.file, `${s.solution}\n// twice\n`);
      await sleep(40);
      writeFileSync(s.file, `${s.solution}\n// twice\n`);
    }, true);
  }, 30_000);

  it("vim's way: a swap file beside it, the old file renamed to a backup, a new one written", async () => {
    await save(() => {
      writeFileSync(join(dirname(s.file), '.get-user.ts.swp'), 'swap');
      renameSync(s.file, `${s.file}~`);
      writeFileSync(s.file, `${s.stub}\n// vim\n`);
      rmSync(`${s.file}~`);
    }, false);
  }, 30_000);

  it('a save during a check supersedes it: only the newer file gets a verdict', async () => {
    const before = s.verdicts.length;
    writeFileSync(s.file, `${s.stub}\n// first\n`);
    await sleep(60); // the check of the first save is under way
    writeFileSync(s.file, `${s.solution}\n// second, during the check\n`);
    expect(await s.settled(before + 1)).toBe(before + 1);
    expect(s.verdicts.at(-1)!.passed).toBe(true);
  }, 30_000);
});

describe('npm run learn -- --manual', () => {
  it('checks only when asked, once', async () => {
    const s = session(true);
    try {
      s.watcher.open(exercise);
      expect(await s.settled(1)).toBe(1);
      copyFileSync(solutionFile(loadCourse({}), exercise), s.file);
      await sleep(1200);
      expect(s.verdicts).toHaveLength(1);
      s.watcher.checkNow();
      expect(await s.settled(2)).toBe(2);
      expect(s.verdicts[1]!.passed).toBe(true);
    } finally {
      await s.close();
    }
  }, 60_000);
});
