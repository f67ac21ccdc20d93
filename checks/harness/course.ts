// One check file's private world: a Postgres database made for this run and emptied for this
// file alone, its own Redis logical database (claimed only when empty and proven ours before
// anything is deleted), the learner's own role and Redis user, the gates their connections pass,
// and eyes on both servers (SQL read at the gate, commands through MONITOR).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { learnerCache, learnerStores, observedPool, type LearnerCache, type ObservedStores } from './learner-stores.ts';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import type { Cache } from '../../lib/stores.ts';
import { findExercise, folderOf, type Exercise } from '../../manifest.ts';
import type { ProvidedServices } from '../../tooling/run-settings.ts';
import { SERVER_VARIABLES } from '../../tooling/server-variables.mjs';
import { projectRoot } from '../../tooling/services.ts';
import { answerWarmQueries, forgetCodeUnderCheck, markNotReusable } from './fresh-code.ts';
import { kept, partsKey, startParts, takeEarly, type Opened } from './parts.ts';
import { SqlRecorder, type SqlStatement, type Watched } from './observers.ts';
import { startProxy, type Proxy } from './proxy.ts';
import { RunDatabase } from './sandbox-postgres.ts';
import { withDeadline } from '../../tooling/deadline.ts';
import { RunRedis } from './sandbox-redis.ts';

export { now, type SqlStatement, type Watched } from './observers.ts';
export type { ObservedStores } from './learner-stores.ts';

/** Where the code under check lives, as the run's entry point provided it (`exercises/` when none did). */
export function targetRoot(): string {
  return inject('course')?.target ?? join(projectRoot, 'exercises');
}

export function exerciseFile(exercise: Exercise): string {
  return inject('course')?.files?.[exercise.id] ?? join(targetRoot(), folderOf(exercise), exercise.file);
}

/**
 * Where the setup file (early-open.ts, always run by Vitest's runner) leaves an import() of its
 * own: `npm test` loads this module compiled, by Node itself, and Node cannot load TypeScript.
 */
export const IMPORT_UNDER_CHECK = Symbol.for('course.import-under-check');

export class Course {
  readonly exercise: Exercise;
  private parts?: Opened;
  private database?: RunDatabase;
  private runRedis?: RunRedis;
  private gates?: Opened['gates'];
  /** Whether close() drops the database: when it was made for this Course alone (see the constructor). */
  private readonly dropOnClose: boolean;
  private readonly recorder = new SqlRecorder();
  private perTest: { close(): Promise<void> }[] = [];
  private perFile: { close(): Promise<void> }[] = [];

  /**
   * `services` defaults to what the run's global setup provided (inject), and the run's teardown
   * drops the database; a caller that passes its own (a test of the harness) has close() drop it.
   */
  constructor(
    exerciseId: string,
    private readonly provided?: ProvidedServices,
  ) {
    const exercise = findExercise(exerciseId);
    if (!exercise) throw new Error(`checks: no exercise "${exerciseId}" in manifest.ts`);
    this.exercise = exercise;
    this.dropOnClose = provided !== undefined;
  }

  get services(): ProvidedServices {
    return this.provided ?? inject('services');
  }

  private get opened(): Opened {
    if (!this.parts) throw new Error('course not open yet');
    return this.parts;
  }

  /** Every statement that reached Postgres through this file's gate, in order. */
  get sql(): SqlStatement[] {
    return this.recorder.sql;
  }

  /** The harness's own pool on this file's database, as the admin role (not observed). */
  get db(): pg.Pool {
    return this.opened.database.db;
  }

  /** The harness's own Redis client on this file's logical database (not observed). */
  get redis(): Cache {
    return this.opened.redis.redis;
  }

  /** The Redis user the learner's clients log in as (see CLIENT LIST's `user=` field). */
  get redisUser(): string {
    return this.opened.redis.space.user;
  }

  get redisDb(): number {
    return this.opened.redis.space.db;
  }

  /** This file's Postgres database, and the learner's role there (the same name). */
  get databaseName(): string {
    return this.opened.database.name;
  }

  /** What the learner's code uses for Postgres: its own role and database, through the gate. */
  get databaseUrl(): string {
    const { database, gates } = this.opened;
    const u = new URL(gates.postgres.urlFor(this.services.postgresUrl));
    Object.assign(u, {
      username: database.name,
      password: database.rolePassword,
      pathname: `/${database.name}`,
      search: '',
    });
    return u.toString();
  }

  /** What the learner's code uses for Redis: its own user, this file's logical database, through the gate. */
  get redisUrl(): string {
    const { redis, gates } = this.opened;
    const u = new URL(gates.redis.urlFor(this.services.redisUrl));
    Object.assign(u, { username: redis.space.user, password: redis.space.password, pathname: `/${redis.space.db}` });
    return u.toString();
  }

  /** Whether this process is kept for the next run of a session (tooling/warm-checks.ts). */
  private get warm(): boolean {
    return this.provided === undefined && inject('course')?.warm === true;
  }

  private get keptKey(): string {
    return partsKey(this.services.runId);
  }

  /** Loads the module under check (the learner's stub, the reference solution, an attempt). */
  async load<T>(): Promise<T> {
    // In a process kept between runs, the code under check is evaluated afresh every run.
    if (this.warm) forgetCodeUnderCheck();
    const url = pathToFileURL(exerciseFile(this.exercise)).href;
    // Through Vitest's runner (which compiles the TypeScript), whichever way this module was loaded.
    const viaRunner = (globalThis as { [IMPORT_UNDER_CHECK]?: (url: string) => Promise<unknown> })[IMPORT_UNDER_CHECK];
    return (await (viaRunner ? viaRunner(url) : import(url))) as T;
  }

  async open(): Promise<void> {
    answerWarmQueries();
    const reused = this.warm ? kept.get(this.keptKey) : undefined;
    if (reused) {
      kept.delete(this.keptKey);
      // As a fresh run would find them: the tables made anew, no session of the last run left.
      await reused.database.renew();
      reused.sqlTo.recorder = this.recorder;
      for (const gate of Object.values(reused.gates)) gate.forget();
      this.useParts(reused);
      return;
    }
    const early = this.provided === undefined ? takeEarly(this.keptKey) : undefined;
    const making = early ?? startParts(this.services, this.warm);
    // Known before they are open: close() gives back whatever of them was made.
    this.database = making.database;
    this.runRedis = making.redis;
    const parts = await making.opened;
    parts.sqlTo.recorder = this.recorder;
    this.useParts(parts);
  }

  private useParts(parts: Opened): void {
    this.parts = parts;
    this.database = parts.database;
    this.runRedis = parts.redis;
    this.gates = parts.gates;
    this.exposeToLearner();
  }

  /**
   * The one place the check process's environment is written: code under check that builds its
   * own clients from the environment (DATABASE_URL, REDIS_URL, or libpq's PG* defaults that
   * `new pg.Pool()` falls back on) lands in this file's sandbox, never on the machine's servers.
   */
  private exposeToLearner(): void {
    const pgUrl = new URL(this.databaseUrl);
    for (const name of SERVER_VARIABLES) delete process.env[name];
    Object.assign(process.env, {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      PGHOST: pgUrl.hostname,
      PGPORT: pgUrl.port,
      PGUSER: decodeURIComponent(pgUrl.username),
      PGPASSWORD: decodeURIComponent(pgUrl.password),
      PGDATABASE: this.databaseName,
    });
  }

  /** Empties the tables and this file's Redis database, and gives the learner's user back its rights. */
  async reset(): Promise<void> {
    const done = await Promise.allSettled([this.opened.database.reset(), this.opened.redis.reset()]);
    for (const part of done) if (part.status === 'rejected') throw part.reason;
    this.sql.length = 0;
  }

  /** Makes the learner's Redis user lose the right to run these commands: each is answered NOPERM. */
  async denyRedis(...commands: string[]): Promise<void> {
    await this.opened.redis.space.deny(commands);
  }

  /** Undoes denyRedis. */
  async allowRedis(): Promise<void> {
    await this.opened.redis.space.grant();
  }

  /** A pg.Pool on this file's database, as the learner's role: what it sends lands in `course.sql` (see the gate). */
  observedPool(options: pg.PoolConfig = {}): pg.Pool {
    return observedPool(this.databaseUrl, options);
  }

  /** A node-redis client for the learner's code, logged in as its own user on this file's database. */
  learnerCache(url = this.redisUrl): Promise<LearnerCache> {
    return learnerCache(url);
  }

  /** The Stores the learner's code receives: a fresh observed pool and Redis client, closed after the check. */
  async stores(options: { redisUrl?: string; pool?: pg.PoolConfig } = {}): Promise<ObservedStores> {
    const stores = await learnerStores(
      observedPool(this.databaseUrl, options.pool),
      await learnerCache(options.redisUrl ?? this.redisUrl),
      this.opened.gates.postgres,
    );
    this.perTest.push(stores);
    return stores;
  }

  /** A fault-injecting proxy in front of this file's gate to Redis or Postgres, closed after the check. */
  async proxy(target: 'redis' | 'postgres'): Promise<Proxy> {
    const gate = this.opened.gates[target];
    const proxy = await startProxy(gate.host, gate.port);
    this.perTest.push(proxy);
    return proxy;
  }

  /** Runs `fn` and returns what it sent to Postgres (through the gate) and Redis (this database). */
  async watch<T>(fn: () => Promise<T>): Promise<Watched<T>> {
    const redisSeen = await this.opened.redis.watch();
    const sqlStart = this.sql.length;
    const result = await fn();
    const redis = await redisSeen();
    return { result, sql: this.sql.slice(sqlStart), redis };
  }

  /** Registers something to close when the file ends. */
  onFileEnd(resource: { close(): Promise<void> }): void {
    this.perFile.push(resource);
  }

  async closeTestResources(): Promise<void> {
    const resources = this.perTest.splice(0);
    await Promise.allSettled(resources.map((r) => withDeadline(r.close(), 3000)));
  }

  async close(): Promise<void> {
    await this.closeTestResources();
    await Promise.allSettled(this.perFile.splice(0).map((r) => withDeadline(r.close(), 3000)));
    if (this.warm && this.parts) {
      // Kept for the next run: whatever the learner's code left open ends here all the same. A
      // connection it left open may come with timers that reconnect: such a process is not kept.
      const { postgres, redis } = this.parts.gates;
      const left = (await postgres.drained(100)) + (await redis.drained(100));
      postgres.cut();
      redis.cut();
      // Kept only while its Redis database is still provably ours (the code under check may have
      // flushed the owner mark away and written keys since): else the next process claims another.
      const ours = await this.parts.redis.reset().then(
        () => true,
        () => false,
      );
      if (left > 0 || !ours) markNotReusable();
      else kept.set(this.keptKey, this.parts);
      return;
    }
    // Whatever the learner's code left open (a pool never ended, a duplicate never quit) ends here.
    if (this.gates) await Promise.allSettled([this.gates.postgres.close(), this.gates.redis.close()]);
    await this.runRedis?.close();
    await this.database?.close(this.dropOnClose);
  }
}

/**
 * Declares the hooks of one check file and returns its Course: opened before the first check,
 * reset before each, and torn down (database dropped, Redis released) after the last.
 */
export function useCourse(exerciseId: string): Course {
  const course = new Course(exerciseId);
  beforeAll(() => course.open(), 30_000);
  beforeEach(() => course.reset());
  afterEach(() => course.closeTestResources());
  afterAll(() => course.close(), 30_000);
  return course;
}
