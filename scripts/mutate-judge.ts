// How `npm run mutate` judges one exercise: its survivors against the reviewed list of equivalent
// mutants (checks/mutation/<NN-slug>.json), and the score against the threshold.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../tooling/services.ts';

/** A mutant the checks let through, as Stryker reports it. */
export interface Survivor {
  /** `line:column` of the mutated code in the solution. */
  at: string;
  mutator: string;
  replacement: string;
}

/** A survivor reviewed and found to change nothing a learner (or a check) could observe. */
export interface Equivalent extends Survivor {
  /** One line: why no learner-visible behaviour changes. */
  why: string;
}

/** Where an exercise's reviewed equivalent mutants are listed: checks/mutation/<NN-slug>.json. */
export const equivalentsFile = (folder: string) => join(projectRoot, 'checks', 'mutation', `${folder}.json`);

/** The reviewed equivalents of one exercise (none when it has no file); each must say why. */
export function equivalentsOf(folder: string, file = equivalentsFile(folder)): Equivalent[] {
  if (!existsSync(file)) return [];
  const listed = JSON.parse(readFileSync(file, 'utf8')) as Equivalent[];
  if (!Array.isArray(listed)) throw new Error(`${file}: a list of equivalent mutants is expected`);
  for (const entry of listed) {
    if (!entry.why?.trim()) throw new Error(`${file}: the equivalent mutant at ${entry.at} has no reason`);
  }
  return listed;
}

const same = (a: Survivor, b: Survivor) =>
  a.at === b.at && a.mutator === b.mutator && a.replacement.trim() === b.replacement.trim();

export interface Verdict {
  ok: boolean;
  score: number;
  equivalent: number;
  lines: string[];
}

/**
 * Passes when the killed share of all mutants reaches the threshold and every survivor is a listed
 * equivalent. Listed equivalents that no longer survive (the solution changed) are reported,
 * so the list never goes stale unseen.
 */
export function judge(
  result: { total: number; killed: number; survivors: Survivor[] },
  equivalents: Equivalent[],
  threshold: number,
): Verdict {
  const unexplained = result.survivors.filter((s) => !equivalents.some((e) => same(s, e)));
  const equivalent = result.survivors.length - unexplained.length;
  const stale = equivalents.filter((e) => !result.survivors.some((s) => same(s, e)));
  const score = result.total === 0 ? 100 : (100 * result.killed) / result.total;
  const lines = [
    ...unexplained.map(
      (s) =>
        `survived: ${s.at} ${s.mutator} → ${s.replacement.split('\n')[0]} (strengthen a check, or list it as equivalent)`,
    ),
    ...stale.map(
      (e) => `listed as equivalent but not a survivor any more: ${e.at} ${e.mutator} (remove it from the list)`,
    ),
  ];
  return { ok: unexplained.length === 0 && stale.length === 0 && score >= threshold, score, equivalent, lines };
}
