// One check file's private world: a Postgres database made for this run and emptied for this
// file alone, its own Redis logical database (claimed only when empty and proven ours before
// anything is deleted), its own Redis user for the learner's code, and eyes on both servers
// (SQL through the pool, commands through MONITOR).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { findExercise, folderOf, type Exercise } from '../../manifest.ts';
import type { Cache, Stores } from '../../lib/stores.ts';
import { postgresGate, redisGate, type Gate } from './gate.ts';
import { databaseName, liveName, redisUserName } from '../../tooling/run-names.ts';
import { SERVER_VARIABLES } from '../../tooling/server-variables.ts';
import { RedisMonitor, type SeenCommand } from './redis-monitor.ts';
import { RedisSpace } from '../../tooling/redis-space.ts';
import { ensureRunDatabase, PrivilegeError, schemaSql, setRolePassword } from '../../tooling/run-database.ts';
import { startProxy, type Proxy } from './proxy.ts';
import { projectRoot, redact } from '../../tooling/services.ts';
import { CheckFailure } from './teach.ts';
import type { ProvidedServices } from '../../tooling/run-settings.ts';

export interface SqlStatement {
  text: string;
  values: unknown[];
  /** Which pooled connection sent it (1, 2, …), to see what shared a transaction. */
  connection: number;
  /** Wall-clock time (ms since the epoch, fractional) when it was sent and when it settled. */
  sentAt: number;
  settledAt?: number;
}

/** The wall clock in fractional milliseconds, comparable with MONITOR's timestamps. */
export const now = () => performance.timeOrigin + performance.now();

export interface ObservedStores extends Stores {
  /** Errors the Redis client emitted (its `error` events). */
  redisErrors: Error[];
}

export interface Watched<T> {
  result: T;
  sql: SqlStatement[];
  redis: SeenCommand[];
}

/** Where the code under check lives, as the run's entry point provided it (`exercises/` when none did). */
export function targetRoot(): string {
  return inject('course')?.target ?? join(projectRoot, 'exercises');
}

export function exerciseFile(exercise: Exercise): string {
  return join(targetRoot(), folderOf(exercise), exercise.file);
}

export class Course {
  readonly exercise: Exercise;
  private token = '';
  private admin?: pg.Client;
  private slot = '1';
  /** Whether close() drops the database: when it was made for this Course alone (see the constructor). */
  private readonly dropOnClose: boolean;
  private harnessDb?: pg.Pool;
  private harnessCache?: Cache;
  private space?: RedisSpace;
  private gates?: { postgres: Gate; redis: Gate };
  private monitor?: Promise<RedisMonitor>;
  private harnessAddresses = new Set<string>();
  private readonly rolePassword = randomBytes(16).toString('hex');
  private perTest: { close(): Promise<void> }[] = [];
  private perFile: { close(): Promise<void> }[] = [];
  private connections = 0;
  private markers = 0;
  /** Every statement the learner's pools sent, in order. */
  readonly sql: SqlStatement[] = [];

  /**
   * `services` defaults to what the run's global setup provided (inject), and the run's teardown
   * drops the database; a caller that passes its own (the bench) has close() drop it.
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

  /** The harness's own pool on this file's database, as the admin role (not observed). */
  get db(): pg.Pool {
    if (!this.harnessDb) throw new Error('course not open yet');
    return this.harnessDb;
  }

  /** The harness's own Redis client on this file's logical database (not observed). */
  get redis(): Cache {
    if (!this.harnessCache) throw new Error('course not open yet');
    return this.harnessCache;
  }

  private get opened(): { space: RedisSpace; gates: { postgres: Gate; redis: Gate } } {
    if (!this.space || !this.gates) throw new Error('course not open yet');
    return { space: this.space, gates: this.gates };
  }

  /** The Redis user the learner's clients log in as (see CLIENT LIST's `user=` field). */
  get redisUser(): string {
    return this.opened.space.user;
  }

  get redisDb(): number {
    return this.opened.space.db;
  }

  /** This file's Postgres database, and the learner's role there (the same name). */
  get databaseName(): string {
    return databaseName(this.services.runId, this.slot);
  }

  /** What the learner's code uses for Postgres: its own role and database, through the gate. */
  get databaseUrl(): string {
    const u = new URL(this.opened.gates.postgres.urlFor(this.services.postgresUrl));
    u.username = this.databaseName;
    u.password = this.rolePassword;
    u.pathname = `/${this.databaseName}`;
    u.search = '';
    return u.toString();
  }

  /** What the learner's code uses for Redis: its own user, this file's logical database, through the gate. */
  get redisUrl(): string {
    const { space, gates } = this.opened;
    const u = new URL(gates.redis.urlFor(this.services.redisUrl));
    u.username = space.user;
    u.password = space.password;
    u.pathname = `/${space.db}`;
    return u.toString();
  }

  /** Loads the module under check (the learner's stub or the reference solution). */
  async load<T>(): Promise<T> {
    return (await import(pathToFileURL(exerciseFile(this.exercise)).href)) as T;
  }

  async open(): Promise<void> {
    const { postgresUrl, redisUrl, runId } = this.services;
    // The owner mark starts with the run's id, so the run's teardown can release what a crashed file left.
    this.token = `${runId}:${randomBytes(12).toString('hex')}`;
    // One database per worker of the run (files in one worker run one after another): the run's
    // global setup starts creating it while the worker boots, and each file empties it first.
    this.slot = process.env.VITEST_POOL_ID ?? '1';
    const name = this.databaseName;
    // Every connection of the harness carries the run's live name: while one is open, no other run releases ours.
    this.admin = new pg.Client({
      connectionString: postgresUrl,
      connectionTimeoutMillis: 5000,
      application_name: liveName(runId),
    });
    this.admin.on('error', () => {});
    await this.admin.connect();
    let created: boolean;
    try {
      created = await ensureRunDatabase(this.admin, runId, this.slot);
      await setRolePassword(this.admin, runId, this.slot, this.rolePassword);
    } catch (error) {
      throw new CheckFailure(
        `The checks work in a database of their own, created for this run and dropped after it, and your code logs in as a role ` +
          `made for the run; they never touch the database in DATABASE_URL (${redact(postgresUrl)}).\n` +
          `Making "${name}" failed: ${(error as Error).message}` +
          (error instanceof PrivilegeError
            ? ''
            : '\nGive that role the CREATEDB and CREATEROLE privileges (ALTER ROLE … CREATEDB CREATEROLE), or point DATABASE_URL at a server where it has them.'),
      );
    }
    if (!created) {
      // An earlier file of this worker used it: end whatever of its sessions lingers, then start empty.
      await this.admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
    }
    const adminUrl = new URL(postgresUrl);
    adminUrl.pathname = `/${name}`;
    this.harnessDb = new pg.Pool({ connectionString: adminUrl.toString(), max: 3, application_name: liveName(runId) });
    this.harnessDb.on('error', () => {});
    // One round trip, one commit: the emptying (when an earlier file used it), the course's tables, the learner's rights.
    await this.harnessDb.query(schemaSql(name, { empty: !created }));

    const cache: Cache = createClient({
      url: redisUrl,
      name: liveName(runId),
      socket: { connectTimeout: 5000, reconnectStrategy: (n) => (n > 20 ? false : 100) },
    });
    cache.on('error', () => {});
    await cache.connect();
    this.harnessCache = cache;
    const key = `${this.exercise.id}_${randomBytes(3).toString('hex')}`;
    const space = new RedisSpace(cache, this.token, redisUserName(runId, key), randomBytes(16).toString('hex'));
    this.space = space;
    if (!(await space.claim())) {
      throw new CheckFailure(
        `The checks keep their Redis data in an empty logical database (1–15) of their own, and never touch one that holds keys.\n` +
          `Every database from 1 to 15 on ${redact(redisUrl)} holds keys, so there is none to claim.\n` +
          `Point REDIS_URL at a Redis you use for this course (docker compose up -d gives one), or free a database.`,
      );
    }
    this.harnessAddresses.add(this.addressOf(String(await cache.sendCommand(['CLIENT', 'INFO']))));
    try {
      await space.grant();
    } catch (error) {
      throw new CheckFailure(
        `The checks give your code a Redis user of its own (ACL SETUSER), confined to database ${space.db}.\n` +
          `Redis at ${redact(redisUrl)} refused: ${(error as Error).message}\nUse a Redis 7 where the REDIS_URL user may manage ACLs (the default user of a local or docker Redis can).`,
      );
    }
    const target = (url: string, port: number) => {
      const u = new URL(url);
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || port) };
    };
    this.gates = {
      postgres: await postgresGate(target(postgresUrl, 5432), name, name),
      redis: await redisGate(target(redisUrl, 6379), space.user),
    };
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
      PGUSER: this.databaseName,
      PGPASSWORD: this.rolePassword,
      PGDATABASE: this.databaseName,
    });
  }

  private addressOf(clientInfo: string): string {
    return /(?:^|\s)addr=(\S+)/.exec(clientInfo)?.[1] ?? '';
  }

  /** Empties the tables and this file's Redis database, and gives the learner's user back its rights. */
  async reset(): Promise<void> {
    // DELETE, not TRUNCATE: on a handful of rows it is several times faster, and every check pays it.
    await this.db.query(`DELETE FROM ledger; DELETE FROM accounts; DELETE FROM users;
      ALTER TABLE users ALTER COLUMN id RESTART; ALTER TABLE ledger ALTER COLUMN id RESTART`);
    const { space } = this.opened;
    if (!(await space.wipe())) {
      throw new CheckFailure(
        `Redis database ${space.db} no longer carries this run's owner mark, so the checks will not wipe it: ` +
          `something else may be using it now. Did the code under check delete the key course:check-owner, or run FLUSHDB?`,
      );
    }
    await space.grant();
    this.sql.length = 0;
  }

  /** Makes the learner's Redis user lose the right to run these commands: each is answered NOPERM. */
  async denyRedis(...commands: string[]): Promise<void> {
    await this.opened.space.deny(commands);
  }

  /** Undoes denyRedis. */
  async allowRedis(): Promise<void> {
    await this.opened.space.grant();
  }

  /** A pg.Pool on this file's database, as the learner's role, whose statements land in `course.sql`. */
  observedPool(options: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: this.databaseUrl, max: 5, connectionTimeoutMillis: 5000, ...options });
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      const connection = (this.connections += 1);
      const original = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
        const text = typeof first === 'string' ? first : first?.text;
        const values = Array.isArray(args[1]) ? args[1] : typeof first === 'object' ? first?.values : undefined;
        const statement: SqlStatement | undefined = text
          ? { text, values: values ?? [], connection, sentAt: now() }
          : undefined;
        if (statement) this.sql.push(statement);
        const settled = () => {
          if (statement) statement.settledAt = now();
        };
        const last = args[args.length - 1];
        if (typeof last === 'function') {
          args[args.length - 1] = (...cbArgs: unknown[]) => {
            settled();
            return (last as (...a: unknown[]) => unknown)(...cbArgs);
          };
          return original(...args);
        }
        const result = original(...args);
        if (result && typeof (result as Promise<unknown>).then === 'function')
          (result as Promise<unknown>).then(settled, settled);
        return result;
      };
    });
    return pool;
  }

  /** A node-redis client for the learner's code, logged in as its own user on this file's database. */
  async learnerCache(url = this.redisUrl): Promise<Cache & { errors: Error[] }> {
    const cache = createClient({
      url,
      socket: { connectTimeout: 2000, reconnectStrategy: (n) => (n > 50 ? false : 50) },
    });
    const errors: Error[] = [];
    cache.on('error', (e: Error) => errors.push(e));
    await cache.connect();
    // A round trip after the handshake: its SELECT must not land inside a check's watch().
    await cache.ping();
    return Object.assign(cache, { errors });
  }

  /** The Stores the learner's code receives: a fresh observed pool and Redis client, closed after the check. */
  async stores(options: { redisUrl?: string; pool?: pg.PoolConfig } = {}): Promise<ObservedStores> {
    const db = this.observedPool(options.pool);
    const cache = await this.learnerCache(options.redisUrl);
    let closed = false;
    const stores: ObservedStores = {
      db,
      cache,
      redisErrors: cache.errors,
      async close() {
        if (closed) return;
        closed = true;
        if (cache.isOpen) cache.destroy();
        await endPool(db);
      },
    };
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

  /** Runs `fn` and returns what it sent to Postgres (observed pools) and Redis (this database). */
  async watch<T>(fn: () => Promise<T>): Promise<Watched<T>> {
    // Opened at the first watch: a file that never watches (and the bench) runs unobserved by MONITOR.
    this.monitor ??= RedisMonitor.open(this.services.redisUrl);
    const monitor = await this.monitor;
    // MONITOR reports asynchronously: a marker before and after brackets exactly what ran in between.
    const redisStart = await this.mark();
    const sqlStart = this.sql.length;
    const result = await fn();
    const redisEnd = await this.mark();
    const redis = monitor.seen
      .slice(redisStart + 1, redisEnd)
      .filter((c) => c.db === this.redisDb && !this.harnessAddresses.has(c.client));
    return { result, sql: this.sql.slice(sqlStart), redis };
  }

  /** Sends a marker through the harness's client; resolves with its index in the monitor's log. */
  private async mark(): Promise<number> {
    const marker = `course-mark-${this.token}-${(this.markers += 1)}`;
    await this.redis.echo(marker);
    const monitor = await this.monitor!;
    await monitor.waitFor(marker);
    return monitor.seen.findIndex((c) => c.args[0] === 'ECHO' && c.args[1] === marker);
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
    // Whatever the learner's code left open (a pool never ended, a duplicate never quit) ends here.
    if (this.gates) await Promise.allSettled([this.gates.postgres.close(), this.gates.redis.close()]);
    if (this.monitor) (await this.monitor.catch(() => undefined))?.close();
    if (this.harnessCache?.isOpen) {
      await this.space?.release();
      this.harnessCache.destroy();
    }
    if (this.harnessDb) await endPool(this.harnessDb);
    if (this.admin) {
      if (this.dropOnClose) {
        await this.admin.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`).catch(() => {});
        await this.admin.query(`DROP ROLE IF EXISTS "${this.databaseName}"`).catch(() => {});
      }
      await this.admin.end().catch(() => {});
    }
  }
}

/** Ends a pool even when the code under check kept clients checked out (pool.end() would wait forever). */
export async function endPool(pool: pg.Pool): Promise<void> {
  const internal = pool as unknown as { _clients?: { connection?: { stream?: { destroy(): void } } }[] };
  const ending = pool.end().catch(() => {});
  const done = await Promise.race([
    ending.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 500)),
  ]);
  if (!done) for (const client of internal._clients ?? []) client.connection?.stream?.destroy();
}

function withDeadline(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
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
