// Names shared by the harness's parts that must not import each other.
import { join } from 'node:path';
import { projectRoot } from './services';

/** Where the watchdog notes which check froze its process (read by the reporter). */
export const FROZEN_DIR = join(projectRoot, '.course', 'frozen');

/** The key that marks a Redis logical database as claimed by one check file of one run. */
export const OWNER_KEY = 'course:check-owner';

/** Where each open check file leaves a note, removed when it has cleaned up after itself. */
export const OPEN_DIR = join(projectRoot, '.course', 'open');

/** The start of the names of one run's notes: `course_check_<run>_<NN>_<rand>.txt`. */
export function notePrefix(runId: string): string {
  return `course_check_${runId}_`;
}

/** What such a note holds (as JSON). */
export interface OpenNote {
  runId: string;
  /** The process of the run (Vitest's main process): while it lives, the run may still clean up itself. */
  runPid: number;
  postgresUrl: string;
  redisUrl: string;
}

/** The Postgres database a run's worker slot works in (the run's id is random: never anyone else's). */
export function databaseName(runId: string, slot: string | number): string {
  return `course_check_${runId}_w${slot}`;
}

/** A LIKE pattern matching every database of one run. */
export function runDatabasesPattern(runId: string): string {
  return `course\\_check\\_${runId}\\_%`;
}
