// Names shared by the harness's parts that must not import each other. Everything a run makes
// on the servers carries the run's random id, so a run only ever touches what is its own.
import { join } from 'node:path';
import { projectRoot } from './services.ts';

/** The key that marks a Redis logical database as claimed by one check file of one run. */
export const OWNER_KEY = 'course:check-owner';

/** A run's id: a few random hex digits (the bench uses `bench<pid>`). */
export const RUN_ID = /^[0-9a-z]+$/;

/** Where the watchdog of one run notes which check froze its process (read by that run's reporter only). */
export function frozenDir(runId: string): string {
  return join(projectRoot, '.course', 'frozen', runId);
}

/** The test name the watchdog notes while no check has started: the file is loading the learner's module. */
export const LOADING = '(loading the code under check)';

/** The Postgres database a run's worker slot works in, and the learner's role there (same name). */
export function databaseName(runId: string, slot: string | number): string {
  return `course_check_${runId}_w${slot}`;
}

/** Matches a database or role name made by some run; group 1 is that run's id. */
export const RUN_OBJECT = /^course_check_([0-9a-z]+)_w\d+$/;

/** A LIKE pattern matching every database (and role) of one run. */
export function runDatabasesPattern(runId: string): string {
  return `course\\_check\\_${runId}\\_w%`;
}

/**
 * How a run's connections name themselves (Postgres application_name, Redis CLIENT SETNAME):
 * while one of them is connected, the run is alive and nobody else releases what it holds.
 */
export function liveName(runId: string): string {
  return `course-run-${runId}`;
}

/** Matches a live name; group 1 is the run's id. */
export const LIVE_NAME = /^course-run-([0-9a-z]+)$/;

/** The learner's Redis user of one check file: `course-check-<run>-<file key>`. */
export function redisUserName(runId: string, key: string): string {
  return `course-check-${runId}-${key}`;
}

/** Matches a learner's Redis user name; group 1 is the run's id. */
export const REDIS_USER = /^course-check-([0-9a-z]+)-/;

/** The comment on every database and role a run makes: a second proof, beside the name, that it is ours. */
export function runComment(runId: string): string {
  return `course checks, run ${runId}: dropped when the run ends`;
}

/** The key of the messages by which a warm session's pool (tooling/warm-pool.ts) asks a kept check process whether it may serve another run (checks/harness/fresh-code.ts answers). */
export const WARM_QUERY = '__course_warm__';
