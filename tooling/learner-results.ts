// The learner's latest verdict per exercise, as files the site can read while `npm run docs`
// runs (in the spirit of Exercism's results.json): one `<NN-slug>.json` per exercise in a
// results folder, written by every run of the checks against the learner's code.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderOf } from '../manifest.ts';
import type { ExerciseResult } from './results.ts';

export interface LearnerResult {
  /** Exercise id, e.g. "04". */
  id: string;
  slug: string;
  status: 'passed' | 'failing';
  passed: number;
  total: number;
  /** The file that was checked, as the output names it. */
  file: string;
  /** When the run ended (ISO 8601). */
  at: string;
  /** Set when the checks could not finish (a freeze, a crash): why. */
  error?: string;
  checks: { name: string; status: 'passed' | 'failed'; message?: string }[];
}

export function toLearnerResult(result: ExerciseResult, target: string): LearnerResult {
  const { exercise } = result;
  const failed = result.failed > 0 || result.fileError !== undefined;
  return {
    id: exercise.id,
    slug: exercise.slug,
    status: failed ? 'failing' : 'passed',
    passed: result.passed,
    total: result.checks.length,
    file: `${target}/${folderOf(exercise)}/${exercise.file}`,
    at: new Date().toISOString(),
    ...(result.fileError ? { error: result.fileError } : {}),
    checks: result.checks.map((c) => ({
      name: c.name,
      status: c.passed ? 'passed' : 'failed',
      ...(c.message ? { message: c.message } : {}),
    })),
  };
}

/** Writes one exercise's result, whole or not at all (a reader never sees half a file). */
export function writeLearnerResult(dir: string, result: LearnerResult): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.id}-${result.slug}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(result, null, 2));
  renameSync(`${file}.tmp`, file);
}

/** Every result in a folder, by exercise id; a missing folder or an unreadable file is none. */
export function readLearnerResults(dir: string): Record<string, LearnerResult> {
  const found: Record<string, LearnerResult> = {};
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d\d-[a-z0-9-]+\.json$/.test(n));
  } catch {
    return found;
  }
  for (const name of names) {
    try {
      const result = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LearnerResult;
      if (typeof result.id === 'string') found[result.id] = result;
    } catch {
      // being written, or not ours: skip it
    }
  }
  return found;
}
