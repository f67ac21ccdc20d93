// The parts of one check file's world, made before its Course takes them: its database and role,
// its Redis space and user, and the gates in front of both. They start opening as soon as the
// check process's setup file runs (openEarly), while Vitest still loads the check file, and a
// process kept for a warm session keeps them for the next run. Nothing here imports Vitest: a
// check process started ahead of Vitest (tooling/prefork.mjs) loads this module early.
import { randomBytes } from 'node:crypto';
import type { ProvidedServices, RunSettings } from '../../tooling/run-settings.ts';
import { answerWarmQueries } from './fresh-code.ts';
import { postgresGate, redisGate, type Gate } from './gate.ts';
import { SqlRecorder } from './observers.ts';
import { RunDatabase } from './sandbox-postgres.ts';
import { RunRedis } from './sandbox-redis.ts';

export interface Opened {
  database: RunDatabase;
  redis: RunRedis;
  gates: { postgres: Gate; redis: Gate };
  /** Where the Postgres gate reports what it read: the Course of the run in progress. */
  sqlTo: { recorder: SqlRecorder };
}

// A check process kept for the next run (a warm session, see tooling/warm-checks.ts) keeps what
// its files opened, by run and worker: made once, started clean by every run.
export const kept = new Map<string, Opened>();

export interface Making {
  database: RunDatabase;
  redis: RunRedis;
  /** Settles when both are open and their gates listen; rejects with the first failure (Postgres's first). */
  opened: Promise<Opened>;
}

const slotOfProcess = () => process.env.VITEST_POOL_ID ?? '1';

/** The key of a run's parts in this process (kept and early ones alike): by run and worker. */
export const partsKey = (runId: string) => `${runId}:${slotOfProcess()}`;

/**
 * Starts making a file's parts: its database (one per worker of the run: the run's start began
 * creating it while the worker booted, and each file empties it first), its Redis space, and the
 * gates in front of both. Both servers' parts are made at once.
 */
export function startParts(services: ProvidedServices, warm: boolean): Making {
  const { postgresUrl, redisUrl, runId } = services;
  const slot = slotOfProcess();
  const database = new RunDatabase(postgresUrl, runId, slot, randomBytes(16).toString('hex'));
  // Kept processes name their Redis space by worker, so that a new process after a frozen one takes the same one back.
  const token = `${runId}:${warm ? `w${slot}` : randomBytes(12).toString('hex')}`;
  const key = warm ? `w${slot}` : `${slot}_${randomBytes(3).toString('hex')}`;
  const redis = new RunRedis(redisUrl, runId, token, key);
  const opened = (async (): Promise<Opened> => {
    const made = await Promise.allSettled([database.open(), redis.open()]);
    for (const part of made) if (part.status === 'rejected') throw part.reason;
    const target = (url: string, port: number) => {
      const u = new URL(url);
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || port) };
    };
    const sqlTo = { recorder: new SqlRecorder() };
    const gates = {
      postgres: await postgresGate(target(postgresUrl, 5432), database.name, database.name, () =>
        sqlTo.recorder.watcher(),
      ),
      redis: await redisGate(target(redisUrl, 6379), redis.space.user),
    };
    return { database, redis, gates, sqlTo };
  })();
  // Told when the Course takes it (its beforeAll fails with this reason), not before.
  opened.catch(() => {});
  return { database, redis, opened };
}

// Parts started by the setup file (openEarly), while Vitest still loads the check file, by run and worker.
const early = new Map<string, Making>();

export function takeEarly(key: string): Making | undefined {
  const making = early.get(key);
  early.delete(key);
  return making;
}

/**
 * Called by the check processes' setup file with what the run provided: starts opening this
 * file's parts at once, so that the servers' round trips overlap the loading of the check file
 * and the harness. A process kept for a warm session reuses its parts instead, and a Course given
 * services of its own makes its own.
 */
export function openEarly(services: ProvidedServices | undefined, course: RunSettings | undefined): void {
  answerWarmQueries();
  if (!services || !course) return;
  const key = partsKey(services.runId);
  if (kept.has(key) || early.has(key)) return;
  early.set(key, startParts(services, course.warm === true));
}
